import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baselineOf, ChannelCondition, type EventDraft } from './condition.analytics.js';
import { ISO_10816_3 } from './severity.analytics.js';
import { HEALTHY_PUMP, PumpSignal, type PumpModel } from './simulator/pump-signal.generator.js';
import { parseVibrationConfig } from './vibration-config.parser.js';
import { analyzeWindow, bearingFrequencies, usableBand, type AnalysisSettings, type WindowAnalysis } from './vibration.analytics.js';

const N = 4096;
const settings: AnalysisSettings = { sampleRateHz: 1000, shaftHz: 1480 / 60, pistons: 9, bearing: HEALTHY_PUMP.bearing, velocityBand: usableBand(1000), resonanceBand: { lowHz: 250, highHz: 480 } };
const parsed = parseVibrationConfig({ assets: [] });
assert.ok(parsed.ok);
const rules = parsed.config.events;

/** Consecutive windows of one running pump. */
function windows(model: PumpModel, count: number, seed: number, startS = 0): WindowAnalysis[] {
  const signal = new PumpSignal(model, 1000, seed, startS);
  return Array.from({ length: count }, () => analyzeWindow(signal.next(N), settings));
}

function run(analyses: WindowAnalysis[], condition = newCondition(), stepMs = 4096): EventDraft[] {
  return analyses.flatMap((a, i) => condition.observe(i * stepMs, a));
}

function newCondition(baseline?: WindowAnalysis[]): ChannelCondition {
  return new ChannelCondition(ISO_10816_3['2-rigid'], bearingFrequencies(HEALTHY_PUMP.bearing, 1480 / 60), rules, baseline && baselineOf(baseline));
}

describe('maintenance events from the condition of a channel', () => {
  it('a healthy pump: zone A and no event at all, baseline rules included', () => {
    const baseline = windows(HEALTHY_PUMP, 30, 1);
    const condition = newCondition(baseline);
    assert.deepEqual(run(windows(HEALTHY_PUMP, 40, 2), condition), []);
    assert.equal(condition.state().zone, 'A');
  });

  it('unbalance x4: one zone-change event to D, critical, with the velocity and the limits as evidence', () => {
    const events = run(windows({ ...HEALTHY_PUMP, unbalance: HEALTHY_PUMP.unbalance * 4 }, 10, 3));
    const zone = events.filter((e) => e.kind === 'zone-change');
    assert.equal(zone.length, 1);
    assert.equal(zone[0].severity, 'critical');
    assert.equal(zone[0].evidence.to, 'D');
    assert.ok((zone[0].evidence.vRmsMmS as number) > 4.5);
    assert.deepEqual(zone[0].evidence.limitsMmS, { ab: 1.4, bc: 2.8, cd: 4.5 });
  });

  it('an outer-race fault: one bearing-fault event at BPFO once it persists (k of n), not at BPFI', () => {
    const events = run(windows({ ...HEALTHY_PUMP, outerRace: 1.5 }, 8, 4)).filter((e) => e.kind === 'bearing-fault');
    assert.deepEqual(
      events.map((e) => [e.evidence.fault, e.evidence.state]),
      [['bpfo', 'raised']],
    );
    assert.ok((events[0].evidence.peakToFloor as number) > rules.envelopeSnr);
  });

  it('a degrading pump: a predicted-threshold event before the zone is reached, then the zone changes', () => {
    // Unbalance grows 4x over 20 min; a trend point every 60 s (the default bucket).
    const model: PumpModel = { ...HEALTHY_PUMP, degradation: { onsetS: 0, faultRate: 0, unbalanceRate: Math.log(4) / 1200 } };
    const condition = newCondition();
    const events: { at: number; e: EventDraft }[] = [];
    for (let s = 0; s <= 1500; s += 15) {
      const [a] = windows(model, 1, s + 7, s);
      for (const e of condition.observe(s * 1000, a)) events.push({ at: s, e });
    }
    const predicted = events.find((x) => x.e.kind === 'predicted-threshold' && x.e.evidence.boundary === 'C');
    const reached = events.find((x) => x.e.kind === 'zone-change' && (x.e.evidence.to === 'C' || x.e.evidence.to === 'D'));
    assert.ok(predicted !== undefined && reached !== undefined, JSON.stringify(events.map((x) => [x.at, x.e.kind, x.e.evidence.boundary ?? x.e.evidence.to])));
    assert.ok(predicted.at < reached.at, `predicted at ${predicted.at} s, reached at ${reached.at} s`);
    assert.ok((predicted.e.evidence.confidence as number) >= rules.minConfidence);
  });

  it('a noisy healthy signal never predicts a crossing', () => {
    const condition = newCondition();
    const events: EventDraft[] = [];
    for (let s = 0; s <= 3600; s += 30) events.push(...condition.observe(s * 1000, windows(HEALTHY_PUMP, 1, s + 1, s)[0]));
    assert.deepEqual(events, []);
  });

  it('publishes with the zone the velocity and health of a window in that zone, and the newest window apart (#26.4)', () => {
    // A Pump once showed zone B beside 7.03 mm/s: the newest window's value (zone D) beside the debounced zone.
    const condition = newCondition();
    const limits = ISO_10816_3['2-rigid'];
    const inB = (limits.ab + limits.bc) / 2;
    for (let i = 0; i < 10; i++) condition.observeVelocity(i * 1000, inB, {}, 0.6);
    assert.equal(condition.state().zone, 'B');
    condition.observeVelocity(10_000, limits.cd * 1.5, {}, 0.1); // one window in D: not judged yet
    const state = condition.state();
    assert.equal(state.zone, 'B');
    assert.ok(state.vRms !== null && state.vRms > limits.ab && state.vRms <= limits.bc, `vRms ${state.vRms} is zone B's`);
    assert.equal(state.health, 0.6);
    assert.equal(state.judgedAt, new Date(9000).toISOString());
    assert.deepEqual(state.latest, { vRms: Math.round(limits.cd * 1.5 * 1e4) / 1e4, health: 0.1, at: new Date(10_000).toISOString() });
  });
});
