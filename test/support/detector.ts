import detect, { type DetectionResult } from '../../src/data-apps/occupancy/detection.worker.js';
import { prepareFrame } from '../../src/data-apps/occupancy/frame.preparer.js';
import type { Letterbox } from '../../src/data-apps/occupancy/yolo.decoder.js';

/** The occupancy app's two stages in one call, in this thread: prepare (sharp), then detect (ONNX Runtime). */
export async function detectJpeg(
  jpeg: Uint8Array,
  model: string,
  options: { threads?: number; confidence?: number; iou?: number } = {},
): Promise<DetectionResult & { box: Letterbox }> {
  const threads = options.threads ?? 2;
  const { size } = await detect({ kind: 'probe', model, threads });
  const frame = await prepareFrame(jpeg, size);
  const result = await detect({
    kind: 'detect',
    ...frame,
    model,
    threads,
    confidence: options.confidence ?? 0.25,
    iou: options.iou ?? 0.45,
  });
  return { ...result, box: frame.box };
}
