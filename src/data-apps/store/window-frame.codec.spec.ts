import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEALTHY_PUMP, PumpSignal } from '../vibration/simulator/pump-signal.generator.js';
import { decodeFrame, encodeFrame, FRAME_HEADER_BYTES, validPrefix } from './window-frame.codec.js';

function pumpCounts(n: number, seed = 1): Int16Array {
  return Int16Array.from(new PumpSignal(HEALTHY_PUMP, 1000, seed).next(n), (v) => Math.round(v / 0.001));
}

describe('edge store frames', () => {
  it('round-trips a window exactly, extremes included', () => {
    const samples = pumpCounts(4096);
    samples[0] = -32768;
    samples[1] = 32767;
    const frame = { startMs: 1_764_000_000_123.5, sampleRateHz: 1000, scale: 0.001, missing: 7, samples };
    const back = decodeFrame(Buffer.from(encodeFrame(frame)));
    assert.deepEqual({ ...back, samples: Array.from(back.samples) }, { ...frame, samples: Array.from(samples) });
  });

  it('stores a noisy pump signal in less than its raw 2 bytes a sample, and a smooth one in far less', () => {
    const noisy = encodeFrame({ startMs: 0, sampleRateHz: 1000, scale: 0.001, missing: 0, samples: pumpCounts(4096) }).length;
    assert.ok(noisy < 4096 * 2 * 0.85, `${noisy} bytes for 4096 noisy samples`);
    const smooth = Int16Array.from({ length: 4096 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 25 * i) / 1000)));
    const bytes = encodeFrame({ startMs: 0, sampleRateHz: 1000, scale: 0.001, missing: -1, samples: smooth }).length;
    assert.ok(bytes < 4096 * 2 * 0.5, `${bytes} bytes for 4096 smooth samples`);
    assert.deepEqual(Array.from(decodeFrame(Buffer.from(encodeFrame({ startMs: 0, sampleRateHz: 1000, scale: 1, missing: -1, samples: smooth }))).samples), Array.from(smooth));
  });

  it('finds the end of the whole frames of a segment with a torn tail, and rejects a flipped bit', () => {
    const a = Buffer.from(encodeFrame({ startMs: 1, sampleRateHz: 1000, scale: 1, missing: 0, samples: pumpCounts(512, 2) }));
    const b = Buffer.from(encodeFrame({ startMs: 2, sampleRateHz: 1000, scale: 1, missing: 0, samples: pumpCounts(512, 3) }));
    const segment = Buffer.concat([a, b, b.subarray(0, b.length - 5)]);
    assert.equal(validPrefix(segment), a.length + b.length);
    const flipped = Buffer.from(b);
    flipped[FRAME_HEADER_BYTES + 3] ^= 0x10;
    assert.equal(validPrefix(Buffer.concat([a, flipped, b])), a.length);
    assert.throws(() => decodeFrame(flipped), /not one valid window frame/);
  });
});
