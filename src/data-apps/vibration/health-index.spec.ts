import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runHealth } from './analysis.worker.js';
import { fitPca, healthIndex, spe } from './pca.analytics.js';
import { ISO_10816_3, zoneOf } from './severity.analytics.js';
import { runToFailure } from './simulator/run-to-failure.generator.js';
import { HEALTHY_PUMP } from './simulator/pump-signal.generator.js';
import { healthFeatures } from './vibration.analytics.js';

const LIMITS = ISO_10816_3['2-rigid'];

/** Spearman's rank correlation (ties get their mean rank). */
function spearman(x: readonly number[], y: readonly number[]): number {
  const rank = (v: readonly number[]): number[] => {
    const order = v.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
    const ranks = new Array<number>(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
      for (let k = i; k <= j; k++) ranks[order[k].i] = (i + j) / 2;
      i = j + 1;
    }
    return ranks;
  };
  const rx = rank(x);
  const ry = rank(y);
  const mean = (v: number[]): number => v.reduce((s, a) => s + a, 0) / v.length;
  const mx = mean(rx);
  const my = mean(ry);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * #26 point 3: the index was 0 in zone A right after a repair and fell from 1 to 0 within zone B (a sigmoid of the
 * residual). On a seeded run to failure (2048-sample windows as the demo's, unbalance and outer race growing, then
 * repaired), with the baseline learned from the first healthy windows: >= 0.8 in zone A after the repair, <= 0.2 in
 * zone D, and falling with severity all the way (rank correlation with the velocity RMS <= -0.8).
 */
describe('the health index means something over a run to failure (#26.3)', () => {
  const model = { ...HEALTHY_PUMP, outerRace: 0.05, degradation: { onsetS: 1800, faultRate: Math.log(20) / (5 * 3600), unbalanceRate: Math.log(1.5) / 3600 } };
  const run = [...runToFailure({ seed: 9, model, stepS: 60, repairAtS: 6.5 * 3600, untilS: 7.5 * 3600, windowSamples: 2048 })];
  const baseline = run.slice(0, 30);
  const pca = fitPca(
    baseline.map((w) => healthFeatures(w.analysis)),
    2,
  );
  const scored = run.slice(30).map((w) => ({ ...w, zone: zoneOf(w.analysis.vRms, LIMITS), health: healthIndex(spe(pca, healthFeatures(w.analysis)), pca.threshold) }));

  it('high in zone A after the repair, low in zone D', () => {
    const repairedA = scored.filter((w) => w.repaired && w.zone === 'A');
    const inD = scored.filter((w) => !w.repaired && w.zone === 'D');
    assert.ok(repairedA.length >= 30 && inD.length >= 30, `${repairedA.length} windows in A after the repair, ${inD.length} in D`);
    const lowA = Math.min(...repairedA.map((w) => w.health));
    const highD = Math.max(...inD.map((w) => w.health));
    assert.ok(lowA >= 0.8, `lowest health in zone A after the repair: ${lowA.toFixed(3)}`);
    assert.ok(highD <= 0.2, `highest health in zone D: ${highD.toFixed(3)}`);
  });

  it('falls with severity across the whole degradation (rank correlation with the velocity RMS <= -0.8), published to 4 decimals', () => {
    const degrading = scored.filter((w) => !w.repaired);
    const rho = spearman(
      degrading.map((w) => w.analysis.vRms),
      degrading.map((w) => Math.round(w.health * 1e4) / 1e4),
    );
    assert.ok(rho <= -0.8, `rank correlation ${rho.toFixed(3)}`);
    // Graded, not a switch: the zones B and C have values in between.
    const mid = degrading.filter((w) => w.zone === 'B' || w.zone === 'C').map((w) => w.health);
    assert.ok(mid.some((h) => h > 0.3 && h < 0.9), 'values between healthy and failed in zones B and C');
  });

  it('ONNX Runtime gives the same index as the reference', async () => {
    for (const w of [scored[0], scored[Math.floor(scored.length / 2)], scored[scored.length - 100]]) {
      const got = await runHealth({ kind: 'default', parameters: pca }, healthFeatures(w.analysis));
      assert.ok(Math.abs(got - w.health) < 1e-4, `reference ${w.health}, ONNX ${got}`);
    }
  });
});
