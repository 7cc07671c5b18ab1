/**
 * The occupancy app's inference, in a worker thread (runtime/worker.pool.ts): the prepared frame (frame.preparer.ts)
 * as a float tensor, the detector (onnxruntime-node; `session.run` is synchronous native work that would stall the
 * event loop for the length of an inference), the YOLO output decoded to person boxes. Only boxes leave this thread.
 * The default export is the task: `probe` reads a model's input size (and, with `attempt`, runs it once on a blank
 * frame and decodes its output, so a file that is no YOLO detector is refused when it is configured), `detect` runs
 * it on a frame.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { decodeYolo, type Box, type Letterbox } from './yolo.decoder.js';

export interface DetectTask {
  kind: 'detect';
  rgb: Uint8Array;
  size: number;
  box: Letterbox;
  model: string;
  /** ONNX Runtime intra-op threads (1 leaves a core to the connector on a 2-core board). */
  threads: number;
  confidence: number;
  iou: number;
}

export interface ProbeTask {
  kind: 'probe';
  model: string;
  threads: number;
  attempt?: boolean;
}

export type DetectionTask = DetectTask | ProbeTask;

export interface DetectionResult {
  /** The model's square input size. */
  size: number;
  boxes: Box[];
  /** Milliseconds in this thread: tensor, inference, YOLO decoding + NMS. */
  timings: { tensor: number; infer: number; post: number };
}
interface Loaded {
  session: InferenceSession;
  input: string;
  output: string;
  /** The model's square input size, read from its input shape [1, 3, H, W]. */
  size: number;
}

const models = new Map<string, Promise<Loaded>>();

async function load(path: string, threads: number): Promise<Loaded> {
  const key = `${path}:${threads}`;
  let found = models.get(key);
  if (found === undefined) {
    found = (async () => {
      const ort = await import('onnxruntime-node');
      const session = await ort.InferenceSession.create(path, { graphOptimizationLevel: 'all', intraOpNumThreads: threads });
      const meta = session.inputMetadata[0];
      const shape = meta !== undefined && meta.isTensor ? meta.shape : [];
      const h = shape[2];
      const w = shape[3];
      if (shape.length !== 4 || typeof h !== 'number' || typeof w !== 'number' || h !== w) {
        throw new Error(`${path}: a YOLO detector takes [1, 3, S, S] images, this one takes [${shape.join(', ')}]`);
      }
      return { session, input: session.inputNames[0], output: session.outputNames[0], size: h };
    })();
    models.set(key, found);
    found.catch(() => models.delete(key));
  }
  return found;
}

/** HWC bytes -> float32 NCHW in 0..1, as the Ultralytics exporter's models take them. */
function tensorOf(rgb: Uint8Array, size: number): Float32Array {
  const plane = size * size;
  const tensor = new Float32Array(3 * plane);
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    tensor[i] = rgb[p] / 255;
    tensor[plane + i] = rgb[p + 1] / 255;
    tensor[2 * plane + i] = rgb[p + 2] / 255;
  }
  return tensor;
}

export default async function detect(task: DetectionTask): Promise<DetectionResult> {
  const model = await load(task.model, task.threads);
  if (task.kind === 'probe') {
    if (task.attempt === true) {
      const ort = await import('onnxruntime-node');
      const blank = new Float32Array(3 * model.size * model.size);
      const result = await model.session.run({ [model.input]: new ort.Tensor('float32', blank, [1, 3, model.size, model.size]) });
      const output = result[model.output];
      if (!(output.data instanceof Float32Array)) throw new Error(`${task.model}: its output ${model.output} is not float32`);
      const box = { scale: 1, padX: 0, padY: 0, width: model.size, height: model.size };
      decodeYolo(output.data, output.dims, box, { confidence: 0.5, iou: 0.5 });
    }
    return { size: model.size, boxes: [], timings: { tensor: 0, infer: 0, post: 0 } };
  }
  if (task.size !== model.size) throw new Error(`the frame was prepared for ${task.size} px, the model takes ${model.size}`);
  const ort = await import('onnxruntime-node');
  const t0 = performance.now();
  const tensor = tensorOf(task.rgb, model.size);
  const t1 = performance.now();
  const result = await model.session.run({ [model.input]: new ort.Tensor('float32', tensor, [1, 3, model.size, model.size]) });
  const t2 = performance.now();
  const output = result[model.output];
  const boxes = decodeYolo(output.data as Float32Array, output.dims, task.box, { confidence: task.confidence, iou: task.iou });
  const t3 = performance.now();
  return { size: model.size, boxes, timings: { tensor: t1 - t0, infer: t2 - t1, post: t3 - t2 } };
}
