/**
 * The vibration app's CPU-heavy step, run in a worker thread (runtime/worker.pool.ts): one window's analysis (four
 * FFTs), its health index (ONNX Runtime; `session.run` is synchronous and would stall the event loop), and its
 * frame for the edge store (byte planes + deflate). The default export is the task.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { encodeFrame } from '../store/window-frame.codec.js';
import { buildHealthGraph } from './health-model.builder.js';
import { HEALTH_SLOPE, type PcaModel } from './pca.analytics.js';
import { analyzeWindow, HEALTH_FEATURES, healthFeatures, type AnalysisSettings, type WindowAnalysis } from './vibration.analytics.js';

/** The default model with an asset's own parameters, or a user's model file. */
export type ModelRef = { kind: 'default'; parameters: PcaModel } | { kind: 'file'; path: string };

export interface AnalysisTask {
  counts: Int16Array;
  scale: number;
  startMs: number;
  sampleRateHz: number;
  missing: number;
  /** False for a partial window (cut short by a gap): stored, not analysed. */
  analyse: boolean;
  settings: AnalysisSettings;
  model?: ModelRef;
}

export interface AnalysisResult {
  frame: Uint8Array;
  analysis?: WindowAnalysis;
  features?: number[];
  health?: number;
  /** Time the task took in the worker, µs. */
  micros: number;
}

const sessions = new Map<string, Promise<InferenceSession>>();

/** A session per model per thread: the default graph once, each user file once. */
async function session(key: string, load: () => Uint8Array | string, fresh = false): Promise<InferenceSession> {
  let found = fresh ? undefined : sessions.get(key);
  if (found === undefined) {
    const ort = await import('onnxruntime-node');
    const source = load();
    const options = { graphOptimizationLevel: 'all' as const, intraOpNumThreads: 1 };
    found = typeof source === 'string' ? ort.InferenceSession.create(source, options) : ort.InferenceSession.create(source, options);
    if (!fresh) {
      sessions.set(key, found);
      found.catch(() => sessions.delete(key));
    }
  }
  return found;
}

/**
 * Runs a health model on one feature vector; the result is clamped to [0, 1]. `fresh`: load the file again (a
 * configuration check; a worker's sessions live as long as its run, and a new configuration is a new run).
 */
export async function runHealth(model: ModelRef, features: number[], fresh = false): Promise<number> {
  const ort = await import('onnxruntime-node');
  const tensor = (values: number[], dims: number[]): InstanceType<typeof ort.Tensor> => new ort.Tensor('float32', Float32Array.from(values), dims);
  let value: number;
  if (model.kind === 'default') {
    const p = model.parameters;
    const f = p.mean.length;
    const k = p.axes[0].length;
    const s = await session(`default:${f}:${k}`, () => buildHealthGraph(f, k));
    const result = await s.run({
      features: tensor(features, [1, f]),
      mean: tensor(p.mean, [f]),
      std: tensor(p.std, [f]),
      W: tensor(p.axes.flat(), [f, k]),
      Wt: tensor(Array.from({ length: k * f }, (_, i) => p.axes[i % f][Math.floor(i / f)]), [k, f]),
      threshold: tensor([p.threshold], [1]),
      alpha: tensor([HEALTH_SLOPE], [1]),
    });
    value = Number((result['health'].data as Float32Array)[0]);
  } else {
    const s = await session(`file:${model.path}`, () => model.path, fresh);
    const input = s.inputNames.includes('features') ? 'features' : s.inputNames[0];
    const output = s.outputNames.includes('health') ? 'health' : s.outputNames[s.outputNames.length - 1];
    const result = await s.run({ [input]: tensor(features, [1, HEALTH_FEATURES.length]) });
    value = Number((result[output].data as Float32Array)[0]);
  }
  if (!Number.isFinite(value)) throw new Error(`the health model gave ${value}`);
  return Math.min(1, Math.max(0, value));
}

export default async function analyse(task: AnalysisTask): Promise<AnalysisResult> {
  const started = process.hrtime.bigint();
  const frame = encodeFrame({ startMs: task.startMs, sampleRateHz: task.sampleRateHz, scale: task.scale, missing: task.missing, samples: task.counts });
  if (!task.analyse) return { frame, micros: Number(process.hrtime.bigint() - started) / 1000 };
  const values = new Float64Array(task.counts.length);
  for (let i = 0; i < values.length; i++) values[i] = task.counts[i] * task.scale;
  const analysis = analyzeWindow(values, task.settings);
  const features = healthFeatures(analysis);
  const health = task.model === undefined ? undefined : await runHealth(task.model, features);
  return { frame, analysis, features, ...(health === undefined ? {} : { health }), micros: Number(process.hrtime.bigint() - started) / 1000 };
}
