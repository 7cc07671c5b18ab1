import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runHealth } from './analysis.worker.js';
import { buildHealthGraph } from './health-model.builder.js';
import { fitPca, healthIndex, spe, symmetricEigen } from './pca.analytics.js';
import { HEALTHY_PUMP, PumpSignal, type PumpModel } from './simulator/pump-signal.generator.js';
import { analyzeWindow, healthFeatures, usableBand, type AnalysisSettings } from './vibration.analytics.js';

const settings: AnalysisSettings = { sampleRateHz: 1000, shaftHz: 1480 / 60, pistons: 9, bearing: HEALTHY_PUMP.bearing, velocityBand: usableBand(1000), resonanceBand: { lowHz: 250, highHz: 480 } };
const features = (model: PumpModel, seed: number): number[] => healthFeatures(analyzeWindow(new PumpSignal(model, 1000, seed).next(2048), settings));

describe('health index: a PCA model of the healthy baseline, run as ONNX', () => {
  it('finds eigenvectors of a symmetric matrix', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    assert.ok(Math.abs(values[0] - 3) < 1e-9 && Math.abs(values[1] - 1) < 1e-9);
    assert.ok(Math.abs(Math.abs(vectors[0][0]) - Math.SQRT1_2) < 1e-9);
  });

  it('gives healthy windows an index near 1 and damaged ones near 0, the same in ONNX Runtime as in the reference', async () => {
    const baseline = Array.from({ length: 30 }, (_, i) => features(HEALTHY_PUMP, i + 1));
    const pca = fitPca(baseline, 2);
    const model = { kind: 'default' as const, parameters: pca };
    const healthy = features(HEALTHY_PUMP, 101);
    const damaged = features({ ...HEALTHY_PUMP, outerRace: 2, unbalance: HEALTHY_PUMP.unbalance * 3 }, 102);
    const onnxHealthy = await runHealth(model, healthy);
    const onnxDamaged = await runHealth(model, damaged);
    assert.ok(onnxHealthy > 0.9, `healthy: ${onnxHealthy}`);
    assert.ok(onnxDamaged < 0.2, `damaged (zone D): ${onnxDamaged}`);
    for (const [x, got] of [
      [healthy, onnxHealthy],
      [damaged, onnxDamaged],
    ] as const) {
      const reference = healthIndex(spe(pca, x), pca.threshold);
      assert.ok(Math.abs(reference - got) < 1e-4, `reference ${reference}, ONNX ${got}`);
    }
  });

  it('one graph serves every asset: the same session with another asset’s parameters gives that asset’s index', async () => {
    const a = fitPca(Array.from({ length: 30 }, (_, i) => features(HEALTHY_PUMP, i + 1)), 2);
    const b = fitPca(Array.from({ length: 30 }, (_, i) => features({ ...HEALTHY_PUMP, unbalance: HEALTHY_PUMP.unbalance * 3 }, i + 200)), 2);
    const x = features({ ...HEALTHY_PUMP, unbalance: HEALTHY_PUMP.unbalance * 3 }, 300);
    const underA = await runHealth({ kind: 'default', parameters: a }, x);
    const underB = await runHealth({ kind: 'default', parameters: b }, x);
    // 3x unbalance is zone C (about 3.5 mm/s): well under half against a healthy baseline (health-index.spec grades it).
    assert.ok(underA < 0.4 && underB > 0.9, `a pump with 3x unbalance: ${underA} against a healthy baseline, ${underB} against its own`);
    assert.ok(buildHealthGraph(8, 2).length < 2000, 'a small graph');
  });

  it('refuses a model file that does not load', async () => {
    await assert.rejects(runHealth({ kind: 'file', path: '/nonexistent/model.onnx' }, [0, 0, 0, 0, 0, 0, 0, 0]));
  });
});
