import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChannelCondition } from './condition.analytics.js';
import { ISO_10816_3 } from './severity.analytics.js';
import { degradingPump, judgedEvents, trueCrossingS, type JudgedEvent, type RunToFailureOptions } from './simulator/run-to-failure.generator.js';
import { demoCycle, demoEvents } from './vibration.app.js';
import { parseVibrationConfig } from './vibration-config.parser.js';
import { bearingFrequencies } from './vibration.analytics.js';
import { HEALTHY_PUMP } from './simulator/pump-signal.generator.js';

const LIMITS = ISO_10816_3['2-rigid'];
const parsed = parseVibrationConfig({ assets: [] });
assert.ok(parsed.ok);
/** The app's default rules: one trend bucket a minute over 24 h, a 168 h horizon. */
const rules = parsed.config.events;

function judge(o: RunToFailureOptions, events = rules): JudgedEvent[] {
  return judgedEvents(o, new ChannelCondition(LIMITS, bearingFrequencies(HEALTHY_PUMP.bearing, HEALTHY_PUMP.rpm / 60), events, undefined));
}

/** Stated targets: the first zone C prediction leads the true crossing by at least 1 h, and is right within 20 %. */
const LEAD_HOURS = 1;
const TOLERANCE = 0.2;

describe('predictions on a seeded run-to-failure (#26.1)', () => {
  // Onset after 1 h, the unbalance growing 25 % an hour: zone C about 4 h later, D about 6 h later; repaired at 8 h.
  const model = degradingPump(1, 1.25);
  const trueC = trueCrossingS(model, LIMITS.bc, 60);

  for (const seed of [1, 2]) {
    it(`seed ${seed}: the first zone C prediction comes at least ${LEAD_HOURS} h before the true crossing, its time within ${TOLERANCE * 100} %; none after the repair`, () => {
    const events = judge({ seed, model, stepS: 60, repairAtS: 8 * 3600, untilS: 10 * 3600 });
    const summary = events.map((e) => `${(e.atS / 3600).toFixed(2)}h ${e.event.kind} ${JSON.stringify(e.event.evidence.boundary ?? e.event.evidence.to)} ${e.event.message}`).join('\n');
    const first = events.find((e) => e.event.kind === 'predicted-threshold' && e.event.evidence.boundary === 'C');
    assert.ok(first !== undefined, `no zone C prediction:\n${summary}`);
    const leadHours = (trueC - first.atS) / 3600;
    assert.ok(leadHours >= LEAD_HOURS, `predicted ${leadHours.toFixed(2)} h before the true crossing at ${(trueC / 3600).toFixed(2)} h:\n${summary}`);
    const predictedS = new Date(first.event.evidence.predictedAt as string).getTime() / 1000;
    const error = Math.abs(predictedS - trueC) / (trueC - first.atS);
    assert.ok(error <= TOLERANCE, `predicted ${(predictedS / 3600).toFixed(2)} h, true ${(trueC / 3600).toFixed(2)} h: ${(error * 100).toFixed(0)} % of the lead:\n${summary}`);
    // The zone does get there, after the prediction.
    const reached = events.find((e) => e.event.kind === 'zone-change' && e.event.evidence.to === 'C');
    assert.ok(reached !== undefined && reached.atS > first.atS, summary);
    // After the repair: the zone comes down, and nothing is predicted from the old segment (or at all).
    assert.deepEqual(
      events.filter((e) => e.repaired && e.event.kind === 'predicted-threshold').map((e) => e.event.message),
      [],
      summary,
    );
    assert.ok(events.some((e) => e.repaired && e.event.kind === 'zone-change' && e.event.evidence.to === 'A'), summary);
    // No prediction ever names a time already past.
    for (const e of events.filter((x) => x.event.kind === 'predicted-threshold')) {
      assert.ok(new Date(e.event.evidence.predictedAt as string).getTime() > e.atS * 1000, e.event.message);
    }
    });
  }

  it('a long healthy run (24 h) predicts nothing', () => {
    const events = judge({ seed: 3, model: HEALTHY_PUMP, stepS: 60, untilS: 24 * 3600 });
    assert.deepEqual(
      events.map((e) => e.event.message),
      [],
    );
  });

  it('the demo pump (a 30 min cycle, its own rules): a zone C prediction leads the crossing by minutes, none after its repair', () => {
    const cycle = demoCycle(30);
    const parsedDemo = parseVibrationConfig({ assets: [], events: demoEvents(30) });
    assert.ok(parsedDemo.ok);
    const pump = { ...HEALTHY_PUMP, outerRace: 0.05, degradation: cycle.degradation };
    const crossing = trueCrossingS(pump, LIMITS.bc, 10, 2048);
    const events = judge({ seed: 4, model: pump, stepS: 4, repairAtS: cycle.repairEveryS, untilS: cycle.repairEveryS + 600, windowSamples: 2048 }, parsedDemo.config.events);
    const summary = events.map((e) => `${(e.atS / 60).toFixed(1)} min ${e.event.kind} ${e.event.message}`).join('\n');
    const first = events.find((e) => e.event.kind === 'predicted-threshold' && e.event.evidence.boundary === 'C');
    assert.ok(first !== undefined, summary);
    assert.ok(crossing - first.atS >= 180, `predicted ${((crossing - first.atS) / 60).toFixed(1)} min before the crossing at ${(crossing / 60).toFixed(1)} min:\n${summary}`);
    assert.deepEqual(events.filter((e) => e.repaired && e.event.kind === 'predicted-threshold').map((e) => e.event.message), [], summary);
    // The outer-race signature is raised once as it grows and cleared by the repair, not flapping about its threshold.
    assert.deepEqual(events.filter((e) => e.event.kind === 'bearing-fault').map((e) => [e.event.evidence.state, e.repaired]), [['raised', false], ['cleared', true]], summary);
  });
});
