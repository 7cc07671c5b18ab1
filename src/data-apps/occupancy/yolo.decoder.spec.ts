import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeYolo, letterboxOf, nonMaxSuppression } from './yolo.decoder.js';

/** A YOLOv8-shaped output [1, 84, A] with the given anchors (cx, cy, w, h in input pixels, person score). */
function v8(anchors: [number, number, number, number, number][], count = 100): { data: Float32Array; dims: number[] } {
  const data = new Float32Array(84 * count);
  anchors.forEach(([cx, cy, w, h, score], a) => {
    data[a] = cx;
    data[count + a] = cy;
    data[2 * count + a] = w;
    data[3 * count + a] = h;
    data[4 * count + a] = score;
    data[5 * count + a] = 0.99; // a bicycle at the same place: not a person
  });
  return { data, dims: [1, 84, count] };
}

describe('YOLO output decoding', () => {
  const box = letterboxOf(1280, 720, 640); // scale 0.5, padded 140 px top and bottom

  it('letterboxes a wide frame into the square input', () => {
    assert.deepEqual(box, { scale: 0.5, padX: 0, padY: 140, width: 1280, height: 720 });
  });

  it('keeps person boxes above the threshold, in the source frame’s pixels', () => {
    const { data, dims } = v8([
      [320, 320, 100, 200, 0.9],
      [100, 200, 40, 80, 0.2],
    ]);
    const boxes = decodeYolo(data, dims, box, { confidence: 0.25, iou: 0.45 });
    assert.equal(boxes.length, 1);
    const b = boxes[0];
    assert.deepEqual([b.x1, b.y1, b.x2, b.y2].map((v) => Math.round(v)), [540, 160, 740, 560]);
    assert.ok(Math.abs(b.score - 0.9) < 1e-6);
  });

  it('suppresses overlapping boxes of one person, keeps two people side by side', () => {
    const { data, dims } = v8([
      [320, 320, 100, 200, 0.9],
      [325, 322, 100, 200, 0.8],
      [450, 320, 100, 200, 0.7],
    ]);
    assert.equal(decodeYolo(data, dims, box, { confidence: 0.25, iou: 0.45 }).length, 2);
    assert.equal(nonMaxSuppression([], 0.5).length, 0);
  });

  it('reads the YOLOv5 layout [1, A, 85] with objectness', () => {
    const rows = 100; // more anchors than columns, as in every real v5 export (25200 x 85)
    const data = new Float32Array(rows * 85);
    data.set([320, 320, 100, 200, 0.9, 0.8], 0); // 0.72
    data.set([100, 100, 50, 50, 0.3, 0.9], 85); // 0.27
    const boxes = decodeYolo(data, [1, rows, 85], letterboxOf(640, 640, 640), { confidence: 0.5, iou: 0.45 });
    assert.equal(boxes.length, 1);
    assert.ok(Math.abs(boxes[0].score - 0.72) < 1e-6);
  });

  it('refuses an output of another shape', () => {
    assert.throws(() => decodeYolo(new Float32Array(4), [4], box, { confidence: 0.5, iou: 0.5 }), /\[1, rows, cols\]/);
  });
});
