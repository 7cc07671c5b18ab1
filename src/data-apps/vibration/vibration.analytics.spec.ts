import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEALTHY_PUMP, PumpSignal, type PumpModel } from './simulator/pump-signal.generator.js';
import { ISO_10816_3, ZoneTracker, zoneOf } from './severity.analytics.js';
import { predictCrossing, type TrendPoint } from './trend.analytics.js';
import { analyzeWindow, bearingFrequencies, usableBand, type AnalysisSettings } from './vibration.analytics.js';

const FS = 1000;
const N = 4096;
const settings: AnalysisSettings = { sampleRateHz: FS, shaftHz: 1480 / 60, pistons: 9, bearing: HEALTHY_PUMP.bearing, velocityBand: usableBand(FS), resonanceBand: { lowHz: 250, highHz: 480 } };
const G2 = ISO_10816_3['2-rigid'];

function windowOf(model: PumpModel, seed: number, startS = 0): Float64Array {
  const signal = new PumpSignal(model, FS, seed, startS);
  return signal.next(N);
}

describe('vibration analytics, known answers on the seeded pump generator', () => {
  it('computes the bearing defect frequencies of CWRU’s SKF 6205 as published (1797 r/min)', () => {
    const f = bearingFrequencies({ balls: 9, ballDiameterMm: 7.94, pitchDiameterMm: 39.04, contactAngleDeg: 0 }, 1797 / 60);
    assert.ok(Math.abs(f.ftf - 11.93) < 0.02 && Math.abs(f.bpfo - 107.36) < 0.05 && Math.abs(f.bpfi - 162.19) < 0.05 && Math.abs(f.bsf - 70.58) < 0.05, JSON.stringify(f));
  });

  it('integrates a 1 g sine at 100 Hz to 11.04 mm/s velocity RMS', () => {
    const x = new Float64Array(N).map((_, i) => 9.80665 * Math.sin((2 * Math.PI * 100 * i) / FS));
    assert.ok(Math.abs(analyzeWindow(x, settings).vRms - 11.04) < 0.1);
    assert.deepEqual(settings.velocityBand, { lowHz: 10, highHz: 400 }, 'at 1 kHz only 10 to 400 Hz are usable');
  });

  it('the band starts at its lower edge: 1 m/s² at 8 Hz adds nothing to the 10 Hz+ velocity RMS (#26.5)', () => {
    // Before windowing, this tone alone gave 0.77 mm/s through the rectangular window's sidelobes (zone A to B).
    const tone = (hz: number, amplitude: number, i: number, phase = 0): number => amplitude * Math.sin((2 * Math.PI * hz * i) / FS + phase);
    for (const n of [2048, 4096]) {
      const at = { ...settings };
      const low = new Float64Array(n).map((_, i) => tone(8, 1, i));
      assert.ok(analyzeWindow(low, at).vRms < 0.02, `n ${n}: 8 Hz alone gives ${analyzeWindow(low, at).vRms.toFixed(3)} mm/s`);
      // Beside a 1 mm/s RMS component at 25 Hz (a = v w sqrt 2), the total is that component's.
      const a25 = 1e-3 * 2 * Math.PI * 25 * Math.SQRT2;
      const both = new Float64Array(n).map((_, i) => tone(8, 1, i) + tone(25, a25, i, 0.4));
      const v = analyzeWindow(both, at).vRms;
      assert.ok(Math.abs(v - 1) < 0.02, `n ${n}: 8 Hz + 1 mm/s at 25 Hz gives ${v.toFixed(3)} mm/s`);
    }
  });

  it('a healthy pump is zone A (group 2, rigid), with no bearing signature, for every seed', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const a = analyzeWindow(windowOf(HEALTHY_PUMP, seed), settings);
      assert.equal(zoneOf(a.vRms, G2), 'A', `seed ${seed}: ${a.vRms}`);
      assert.ok(a.envelope.bpfo < 6 && a.envelope.bpfi < 6, `seed ${seed}: ${JSON.stringify(a.envelope)}`);
      assert.ok(a.kurtosis < 3.5, 'no impacts');
    }
  });

  it('unbalance x4 is zone D', () => {
    for (let seed = 1; seed <= 5; seed++) assert.equal(zoneOf(analyzeWindow(windowOf({ ...HEALTHY_PUMP, unbalance: HEALTHY_PUMP.unbalance * 4 }, seed), settings).vRms, G2), 'D');
  });

  it('an outer-race fault shows in the envelope at BPFO, an inner-race fault at BPFI, and not the other way round', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const outer = analyzeWindow(windowOf({ ...HEALTHY_PUMP, outerRace: 2 }, seed), settings);
      const inner = analyzeWindow(windowOf({ ...HEALTHY_PUMP, innerRace: 6 }, seed), settings);
      assert.ok(outer.envelope.bpfo > 20 && outer.envelope.bpfi < 6, `seed ${seed} outer: ${JSON.stringify(outer.envelope)}`);
      assert.ok(inner.envelope.bpfi > 20 && inner.envelope.bpfo < 6, `seed ${seed} inner: ${JSON.stringify(inner.envelope)}`);
      assert.ok(outer.resonanceBandRatio > 0.4, 'the impacts fill the resonance band');
    }
  });

  it('a degradation run: the exponential trend predicts the zone C/D crossing within 15 % of the true time', () => {
    // Unbalance grows from 1.5x healthy with ln-rate 0.1/h (doubling in 7 h); the trend sees 6 h, one window per 10 min.
    const model: PumpModel = { ...HEALTHY_PUMP, unbalance: HEALTHY_PUMP.unbalance * 1.5, degradation: { onsetS: 0, faultRate: 0, unbalanceRate: 0.1 / 3600 } };
    const vAt = (hours: number, seed: number): number => analyzeWindow(windowOf(model, seed, hours * 3600), settings).vRms;
    const points: TrendPoint[] = [];
    for (let i = 0; i <= 36; i++) points.push({ at: i * 600_000, value: vAt(i / 6, i + 1) });
    const prediction = predictCrossing(points, G2.cd)!;
    assert.ok(prediction.confidence > 0.9, `R² ${prediction.confidence}`);
    // The truth: where the generated signal itself crosses 4.5 mm/s (median of three seeds per step, every 5 min).
    let truthHours = 6;
    while ([1, 2, 3].map((s) => vAt(truthHours, 100 + s)).sort((a, b) => a - b)[1] < G2.cd) truthHours += 1 / 12;
    const remainingTruth = truthHours - 6;
    assert.ok(remainingTruth > 2, `the crossing lies ahead (${remainingTruth.toFixed(1)} h)`);
    const error = Math.abs(prediction.inHours - remainingTruth) / remainingTruth;
    assert.ok(error < 0.15, `predicted ${prediction.inHours.toFixed(2)} h, true ${remainingTruth.toFixed(2)} h (${(error * 100).toFixed(1)} % off)`);
  });

  it('does not flicker: one window over a boundary changes nothing, a sustained one changes the zone once', () => {
    const tracker = new ZoneTracker(G2, { k: 3, n: 5 }, 0.1);
    const changes = [1.0, 1.1, 1.0, 1.9, 1.0, 1.1, 1.0, 1.9, 2.0, 2.1, 2.0, 1.3, 2.0, 1.35, 2.1].map((v) => tracker.observe(v)).filter(Boolean);
    assert.deepEqual(changes, [
      { from: undefined, to: 'A' },
      { from: 'A', to: 'B' },
    ]);
  });
});
