/**
 * Modbus register values to numbers (Modbus Application Protocol V1.1b3, section 4.2: a register is a big-endian
 * 16-bit word; how two words form a 32-bit value is not specified, so the word order is the vendor's: `ABCD`
 * high word first (big-endian), `CDAB` low word first). Pure.
 */
export type WordOrder = 'ABCD' | 'CDAB';
export type Encoding = 'int16' | 'uint16' | 'float32' | 'int32' | 'uint32';

/** Registers a value of this encoding takes. */
export function registersPer(encoding: Encoding): 1 | 2 {
  return encoding === 'int16' || encoding === 'uint16' ? 1 : 2;
}

const scratch = new DataView(new ArrayBuffer(4));

function words(registers: ArrayLike<number>, at: number, order: WordOrder): void {
  const [hi, lo] = order === 'ABCD' ? [registers[at], registers[at + 1]] : [registers[at + 1], registers[at]];
  scratch.setUint16(0, hi & 0xffff);
  scratch.setUint16(2, lo & 0xffff);
}

/** The value at register offset `at`. */
export function decodeValue(registers: ArrayLike<number>, at: number, encoding: Encoding, order: WordOrder = 'ABCD'): number {
  switch (encoding) {
    case 'int16':
      return ((registers[at] & 0xffff) << 16) >> 16;
    case 'uint16':
      return registers[at] & 0xffff;
    case 'float32':
      words(registers, at, order);
      return scratch.getFloat32(0);
    case 'int32':
      words(registers, at, order);
      return scratch.getInt32(0);
    case 'uint32':
      words(registers, at, order);
      return scratch.getUint32(0);
  }
}

/** Registers holding a value (the simulator's side of `decodeValue`). */
export function encodeValue(value: number, encoding: Encoding, order: WordOrder = 'ABCD'): number[] {
  switch (encoding) {
    case 'int16':
      return [Math.max(-32768, Math.min(32767, Math.round(value))) & 0xffff];
    case 'uint16':
      return [Math.max(0, Math.min(65535, Math.round(value)))];
    case 'float32':
      scratch.setFloat32(0, value);
      break;
    case 'int32':
      scratch.setInt32(0, Math.round(value));
      break;
    case 'uint32':
      scratch.setUint32(0, Math.round(value) >>> 0);
      break;
  }
  const hi = scratch.getUint16(0);
  const lo = scratch.getUint16(2);
  return order === 'ABCD' ? [hi, lo] : [lo, hi];
}

/**
 * Samples of a waveform as int16 counts for the store: int16 registers are kept as they are (lossless); float32
 * ones are quantised to `scale` (physical value / scale, clamped to the int16 range).
 */
export function sampleCounts(registers: ArrayLike<number>, at: number, count: number, encoding: 'int16' | 'float32', order: WordOrder, scale: number): Int16Array {
  const out = new Int16Array(count);
  if (encoding === 'int16') {
    for (let i = 0; i < count; i++) out[i] = ((registers[at + i] & 0xffff) << 16) >> 16;
    return out;
  }
  for (let i = 0; i < count; i++) {
    const v = decodeValue(registers, at + 2 * i, 'float32', order) / scale;
    out[i] = Number.isFinite(v) ? Math.max(-32768, Math.min(32767, Math.round(v))) : 0;
  }
  return out;
}
