import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { fakeYoloModel } from '../../../test/support/fake-yolo.model.js';
import { detectJpeg } from '../../../test/support/detector.js';

describe('the detection task (sharp letterbox, ONNX Runtime, YOLO decoding) on a model with known boxes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-yolo-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the model’s person boxes in the frame’s own pixels, and nothing of the frame', async () => {
    // Two people, and one below the threshold.
    const model = join(dir, 'fake.onnx');
    writeFileSync(model, fakeYoloModel([
      [320, 320, 100, 200, 0.9],
      [480, 300, 80, 160, 0.7],
      [100, 100, 20, 20, 0.1],
    ]));
    const frame = await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    const result = await detectJpeg(new Uint8Array(frame), model, { threads: 1, confidence: 0.4 });
    assert.equal(result.box.width, 1280);
    assert.equal(result.size, 640);
    assert.equal(result.boxes.length, 2);
    assert.deepEqual(
      result.boxes.map((b) => [b.x1, b.y1, b.x2, b.y2].map(Math.round)),
      [
        [540, 160, 740, 560],
        [880, 160, 1040, 480],
      ],
    );
    assert.deepEqual(Object.keys(result).sort(), ['box', 'boxes', 'size', 'timings']);
  });

  it('fails on a frame that is not an image, and on a model that is no detector', async () => {
    const model = join(dir, 'fake.onnx');
    await assert.rejects(detectJpeg(new Uint8Array(Buffer.from('<html>')), model, { threads: 1 }));
    const notYolo = join(dir, 'tiny.onnx');
    writeFileSync(notYolo, fakeYoloModel([], 32, 10).subarray(0, 50));
    const frame = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } }).jpeg().toBuffer();
    await assert.rejects(detectJpeg(new Uint8Array(frame), notYolo, { threads: 1 }));
  });
});
