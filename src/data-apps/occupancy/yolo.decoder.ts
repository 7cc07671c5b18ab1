/**
 * YOLO detector output -> person boxes in the source image's pixels (pure).
 * - YOLOv8 layout [1, 4 + C, A]: per anchor cx, cy, w, h (input pixels) and C class scores (already sigmoid, no
 *   objectness) (Ultralytics ONNX export, `ultralytics/engine/exporter.py`);
 * - YOLOv5 layout [1, A, 5 + C]: cx, cy, w, h, objectness, C class scores; score = objectness x class score.
 * Only the person class (COCO 0) is kept; then non-maximum suppression, and the letterbox undone.
 */
export interface Box {
  /** Source-image pixels, top-left and bottom-right. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

/** How a frame was fitted into the model's square input: scaled by `scale`, then padded by `padX`/`padY`. */
export interface Letterbox {
  scale: number;
  padX: number;
  padY: number;
  width: number;
  height: number;
}

export interface DecodeOptions {
  confidence: number;
  iou: number;
  /** The class index of a person (COCO: 0). */
  personClass?: number;
  /** At most this many boxes kept (the largest scores first). */
  maxBoxes?: number;
}

export function letterboxOf(width: number, height: number, size: number): Letterbox {
  const scale = Math.min(size / width, size / height);
  return { scale, padX: Math.floor((size - Math.round(width * scale)) / 2), padY: Math.floor((size - Math.round(height * scale)) / 2), width, height };
}

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union <= 0 ? 0 : inter / union;
}

/** Greedy NMS: the best box stays, boxes overlapping it more than `threshold` go. */
export function nonMaxSuppression(boxes: Box[], threshold: number, max = 300): Box[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: Box[] = [];
  for (const box of sorted) {
    if (kept.length >= max) break;
    if (kept.every((k) => iou(k, box) <= threshold)) kept.push(box);
  }
  return kept;
}

/** Output dims tell the layout apart: [1, 4 + C, A] (v8) or [1, A, 5 + C] (v5); anchors outnumber attributes in both. */
export function decodeYolo(data: Float32Array, dims: readonly number[], box: Letterbox, options: DecodeOptions): Box[] {
  if (dims.length !== 3 || dims[0] !== 1) throw new Error(`a YOLO output is [1, rows, cols], got [${dims.join(', ')}]`);
  const [, rows, cols] = dims as [number, number, number];
  const person = options.personClass ?? 0;
  const candidates: Box[] = [];
  const push = (cx: number, cy: number, w: number, h: number, score: number): void => {
    if (!(score >= options.confidence)) return;
    const unmap = (x: number, pad: number, limit: number): number => Math.min(limit, Math.max(0, (x - pad) / box.scale));
    candidates.push({
      x1: unmap(cx - w / 2, box.padX, box.width),
      y1: unmap(cy - h / 2, box.padY, box.height),
      x2: unmap(cx + w / 2, box.padX, box.width),
      y2: unmap(cy + h / 2, box.padY, box.height),
      score,
    });
  };
  if (cols > rows) {
    // v8: attribute-major, anchors along the last axis.
    if (rows < 5 + person) throw new Error(`a YOLOv8 output needs ${5 + person} rows for class ${person}, has ${rows}`);
    for (let a = 0; a < cols; a++) push(data[a], data[cols + a], data[2 * cols + a], data[3 * cols + a], data[(4 + person) * cols + a]);
  } else {
    if (cols < 6 + person) throw new Error(`a YOLOv5 output needs ${6 + person} columns for class ${person}, has ${cols}`);
    for (let a = 0; a < rows; a++) {
      const o = a * cols;
      push(data[o], data[o + 1], data[o + 2], data[o + 3], data[o + 4] * data[o + 5 + person]);
    }
  }
  return nonMaxSuppression(candidates, options.iou, options.maxBoxes ?? 300);
}
