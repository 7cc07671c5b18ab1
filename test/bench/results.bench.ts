/**
 * The results a plant acts on (#26): how far ahead the vibration app predicts a zone crossing on the seeded
 * run-to-failure generator (the plant's default rules over hours, and the demo's over its 30-minute cycle), and what
 * the live page costs an edge uplink (bytes per second per open page at steady state on the demo node, against what
 * the whole snapshot every tick would have cost in the same run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelCondition } from '../../src/data-apps/vibration/condition.analytics.js';
import { ISO_10816_3 } from '../../src/data-apps/vibration/severity.analytics.js';
import { HEALTHY_PUMP, type PumpModel } from '../../src/data-apps/vibration/simulator/pump-signal.generator.js';
import {
  degradingPump,
  firstPrediction,
  judgedEvents,
  trueCrossingS,
} from '../../src/data-apps/vibration/simulator/run-to-failure.generator.js';
import { parseVibrationConfig, type VibrationConfig } from '../../src/data-apps/vibration/vibration-config.parser.js';
import { demoCycle, demoEvents } from '../../src/data-apps/vibration/vibration.app.js';
import { bearingFrequencies } from '../../src/data-apps/vibration/vibration.analytics.js';
import { startDemoProcess } from '../support/connector.process.js';
import { send } from '../support/http.client.js';

const LIMITS = ISO_10816_3['2-rigid'];
/** How long the demo node runs before its feed is measured (BENCH_LIVE_WARM_UP_S). */
const WARM_UP_S = Number(process.env['BENCH_LIVE_WARM_UP_S'] ?? 540);

function rulesOf(events: Partial<VibrationConfig['events']> = {}): VibrationConfig['events'] {
  const parsed = parseVibrationConfig({ assets: [], events });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config.events;
}

interface Lead {
  seed: number;
  leadS: number | null;
  errorS: number | null;
}

function leadOf(
  model: PumpModel,
  rules: VibrationConfig['events'],
  seed: number,
  stepS: number,
  untilS: number,
  samples: number,
  truthStepS: number,
): Lead {
  const truth = trueCrossingS(model, LIMITS.bc, truthStepS, samples);
  const condition = new ChannelCondition(LIMITS, bearingFrequencies(HEALTHY_PUMP.bearing, HEALTHY_PUMP.rpm / 60), rules, undefined);
  const first = firstPrediction(judgedEvents({ seed, model, stepS, untilS, windowSamples: samples }, condition), 'C');
  return first === undefined ? { seed, leadS: null, errorS: null } : { seed, leadS: truth - first.atS, errorS: first.predictedS - truth };
}

function predictionRows(): string[] {
  const rows: string[] = [];
  const plant = degradingPump(1, 1.25);
  for (const seed of [1, 2, 3, 4, 5]) {
    const l = leadOf(plant, rulesOf(), seed, 60, 8 * 3600, 4096, 60);
    rows.push(
      `| plant rules (1-min buckets, 24 h trend), unbalance +25 %/h | ${seed} | ${l.leadS === null ? 'none' : (l.leadS / 3600).toFixed(2) + ' h'} | ${l.errorS === null ? '-' : (l.errorS / 3600).toFixed(2) + ' h'} |`,
    );
  }
  const cycle = demoCycle(30);
  const demo = { ...HEALTHY_PUMP, outerRace: 0.05, degradation: cycle.degradation };
  for (const seed of [1, 2, 3]) {
    const l = leadOf(demo, rulesOf(demoEvents(30)), seed, 2, cycle.repairEveryS, 2048, 10);
    rows.push(
      `| demo (FEP_DEMO_CYCLE_MINUTES=30) | ${seed} | ${l.leadS === null ? 'none' : (l.leadS / 60).toFixed(1) + ' min'} | ${l.errorS === null ? '-' : (l.errorS / 60).toFixed(1) + ' min'} |`,
    );
  }
  return rows;
}

async function liveFeed(): Promise<{ snapshotBytes: number; perSecond: number; wholePerSecond: number; seconds: number }> {
  const root = mkdtempSync(join(tmpdir(), 'fep-bench-live-'));
  const password = 'bench-live-secret';
  const node = await startDemoProcess(root, password);
  const headers = { authorization: 'Basic ' + Buffer.from(`admin:${password}`).toString('base64') };
  try {
    // Let both demo apps run and fill their histories first (the condition's 100 values take 500 s at one per 5 s).
    await new Promise((r) => setTimeout(r, WARM_UP_S * 1000));
    const received: { at: number; bytes: number }[] = [];
    const req = request(`${node.baseUrl}/api/live/events`, { ca: node.ca, headers }, (res) => {
      res.on('data', (chunk: Buffer) => received.push({ at: Date.now(), bytes: chunk.length }));
      res.on('error', () => undefined);
    });
    req.on('error', () => undefined);
    req.end();
    await new Promise((r) => setTimeout(r, 5000));
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 60_000));
    req.destroy();
    // The whole snapshot as it stands at the end of the window (it grows as the outputs' histories fill).
    const snapshotBytes = (await send('GET', `${node.baseUrl}/api/live/snapshot`, { ca: node.ca, headers })).text.length;
    const seconds = (Date.now() - from) / 1000;
    const bytes = received.filter((r) => r.at >= from).reduce((n, r) => n + r.bytes, 0);
    // The push interval is FEP_LIVE_PUSH_MS (2 s by default): the whole snapshot at each push was the old feed.
    return { snapshotBytes, perSecond: bytes / seconds, wholePerSecond: snapshotBytes / 2, seconds };
  } finally {
    await node.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

export async function resultsBench(): Promise<string> {
  const rows = predictionRows();
  const live = await liveFeed();
  return [
    '## Results a plant acts on: prediction lead time, live page bytes',
    '',
    'The first zone C prediction on the seeded run-to-failure generator (`src/data-apps/vibration/simulator/run-to-failure.generator.ts`): how long before the true crossing (where the generated signal itself crosses 2.8 mm/s) it came, and how far its predicted time was from the truth (positive: late).',
    '',
    '| run | seed | lead before the crossing | predicted time - true time |',
    '|---|---|---|---|',
    ...rows,
    '',
    `The live page's feed on the demo node (both demo apps, after ${WARM_UP_S} s of running: the outputs' histories full), one page, over ${live.seconds.toFixed(0)} s: the whole snapshot is ${(live.snapshotBytes / 1024).toFixed(0)} KB at the end and is sent once when the page opens; then **${(live.perSecond / 1024).toFixed(2)} KB/s** of deltas, against ${(live.wholePerSecond / 1024).toFixed(1)} KB/s for the whole snapshot every 2 s (the feed before #26.13), ${(live.wholePerSecond / Math.max(1, live.perSecond)).toFixed(0)} times less.`,
  ].join('\n');
}
