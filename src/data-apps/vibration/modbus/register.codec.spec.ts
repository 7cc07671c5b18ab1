import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeValue, encodeValue, sampleCounts } from './register.codec.js';

describe('Modbus register values', () => {
  it('reads 9.81 as float32 in both word orders (vendors differ)', () => {
    assert.deepEqual(encodeValue(9.81, 'float32', 'ABCD'), [16668, 62915]);
    assert.deepEqual(encodeValue(9.81, 'float32', 'CDAB'), [62915, 16668]);
    assert.ok(Math.abs(decodeValue([16668, 62915], 0, 'float32', 'ABCD') - 9.81) < 1e-6);
    assert.ok(Math.abs(decodeValue([62915, 16668], 0, 'float32', 'CDAB') - 9.81) < 1e-6);
  });

  it('reads int16 as two’s complement and uint32 counters across both words', () => {
    assert.equal(decodeValue([0xffff], 0, 'int16'), -1);
    assert.equal(decodeValue([0x8000], 0, 'int16'), -32768);
    assert.equal(decodeValue([0x0001, 0x0002], 0, 'uint32', 'ABCD'), 65538);
    assert.equal(decodeValue([0x0002, 0x0001], 0, 'uint32', 'CDAB'), 65538);
    assert.equal(decodeValue(encodeValue(4_000_000_000, 'uint32'), 0, 'uint32'), 4_000_000_000);
  });

  it('quantises float32 samples to the store’s scale, clamped to int16', () => {
    const registers = [...encodeValue(1.2345, 'float32'), ...encodeValue(-100, 'float32'), ...encodeValue(Number.NaN, 'float32')];
    assert.deepEqual(Array.from(sampleCounts(registers, 0, 3, 'float32', 'ABCD', 0.001)), [1235, -32768, 0]);
    assert.deepEqual(Array.from(sampleCounts([1, 0xfffe], 0, 2, 'int16', 'ABCD', 0.001)), [1, -2]);
  });
});
