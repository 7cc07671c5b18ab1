/**
 * JPEG frames out of a byte stream (pure, incremental):
 * - `MjpegParser`: `multipart/x-mixed-replace` (RFC 2046 section 5.1 framing as cameras send it): the boundary with
 *   or without leading `--` and quotes, part headers, the part's Content-Length when present, else up to the next
 *   boundary (scanning for FF D9 alone would stop inside an EXIF thumbnail);
 * - `JpegSplitter`: concatenated JPEGs (ffmpeg's image2pipe), each cut at its real end of image (`jpegEnd`).
 * Both bound what they buffer: a stream that never delimits a frame is garbage, reported, not held.
 */
const SOI = Buffer.from([0xff, 0xd8, 0xff]);

/** True when the bytes start like a JPEG (SOI then a marker). */
export function looksLikeJpeg(frame: Buffer): boolean {
  return frame.length > 4 && frame.subarray(0, 3).equals(SOI);
}

export class FrameTooLargeError extends Error {}

/**
 * A JPEG's dimensions from its frame header (ITU-T T.81 B.2.2: SOFn, n = 0..15 except DHT C4, JPG C8 and DAC CC,
 * carries P, Y, X), read before anything is decoded: the decoder's memory grows with width x height, and a 3 MB
 * progressive file can announce 16000 x 16000 pixels. Undefined when no frame header comes within the bytes.
 */
export function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const length = (b[i + 2] << 8) | b[i + 3];
    if (length < 2) return undefined;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return undefined;
      return { height: (b[i + 5] << 8) | b[i + 6], width: (b[i + 7] << 8) | b[i + 8] };
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    i += 2 + length;
  }
  return undefined;
}

export class MjpegParser {
  /** Received bytes not yet cut into frames: `buffer[0, length)`, grown by doubling (amortised linear copying). */
  private buffer: Buffer = Buffer.alloc(0);
  private length = 0;
  /** Where the current search goes on: the bytes before it were searched already. */
  private scanFrom = 0;
  private state: 'delimiter' | 'headers' | 'body' = 'delimiter';
  /** Where the current part's delimiter starts (state `headers`). */
  private partStart = 0;
  private readonly delimiter: Buffer;
  private expected: number | undefined;

  constructor(
    boundary: string,
    private readonly maxFrameBytes = 16 << 20,
  ) {
    const clean = boundary.trim().replace(/^"(.*)"$/, '$1').replace(/^--/, '');
    this.delimiter = Buffer.from(`--${clean}`);
  }

  /** The boundary of a `multipart/x-mixed-replace; boundary=...` content type. */
  static boundaryOf(contentType: string | undefined): string | undefined {
    const m = /boundary\s*=\s*("([^"]+)"|[^;\s]+)/i.exec(contentType ?? '');
    return m === null ? undefined : (m[2] ?? m[1]);
  }

  /**
   * The frames completed by this chunk. Each byte is searched once (a part without a boundary written in 1 KB
   * pieces was once re-joined and re-scanned up to 16 MiB per piece, stalling the node for seconds).
   */
  push(chunk: Buffer): Buffer[] {
    this.append(chunk);
    const frames: Buffer[] = [];
    for (;;) {
      if (this.state === 'delimiter') {
        const at = this.search(this.delimiter);
        if (at < 0) return this.wait(frames);
        this.partStart = at;
        this.scanFrom = at + this.delimiter.length;
        this.state = 'headers';
      }
      if (this.state === 'headers') {
        const headersEnd = this.search(HEADERS_END);
        if (headersEnd < 0) return this.wait(frames);
        const headers = this.buffer.subarray(this.partStart + this.delimiter.length, headersEnd).toString('latin1');
        const length = /content-length\s*:\s*(\d+)/i.exec(headers);
        this.expected = length === null ? undefined : Number(length[1]);
        if (this.expected !== undefined && this.expected > this.maxFrameBytes) {
          throw new FrameTooLargeError(`a part announces ${this.expected} bytes, over the ${this.maxFrameBytes}-byte frame limit`);
        }
        this.consume(headersEnd + HEADERS_END.length);
        this.state = 'body';
      }
      let end: number;
      let skip: number;
      if (this.expected !== undefined) {
        if (this.length < this.expected) return this.wait(frames);
        end = this.expected;
        skip = this.expected;
      } else {
        const next = this.search(this.delimiter);
        if (next < 0) return this.wait(frames);
        end = next;
        skip = next;
        // The CRLF before the delimiter belongs to it.
        while (end > 0 && (this.buffer[end - 1] === 0x0a || this.buffer[end - 1] === 0x0d)) end--;
      }
      frames.push(Buffer.from(this.buffer.subarray(0, end)));
      this.consume(skip);
      this.state = 'delimiter';
    }
  }

  private append(chunk: Buffer): void {
    if (this.length + chunk.length > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(64 * 1024, 2 * (this.length + chunk.length)));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.length);
    this.length += chunk.length;
  }

  /** `needle` from where the last search stopped; when absent, the next one starts where a straddling match could. */
  private search(needle: Buffer): number {
    const at = this.buffer.subarray(0, this.length).indexOf(needle, this.scanFrom);
    if (at < 0) this.scanFrom = Math.max(this.scanFrom, this.length - needle.length + 1);
    return at;
  }

  private wait(frames: Buffer[]): Buffer[] {
    if (this.length > this.maxFrameBytes) throw new FrameTooLargeError(`no frame delimited within ${this.maxFrameBytes} bytes`);
    return frames;
  }

  private consume(bytes: number): void {
    this.buffer.copy(this.buffer, 0, bytes, this.length);
    this.length -= bytes;
    this.scanFrom = 0;
  }
}

const HEADERS_END = Buffer.from('\r\n\r\n');

/**
 * Where the JPEG starting at `start` ends (ITU-T T.81 Annex B): marker segments are skipped by their length (an EXIF
 * thumbnail's own SOI/EOI inside APP1 is never mistaken for the end), entropy-coded data is scanned to the next
 * marker (FF 00 is a stuffed byte, FF D0..D7 a restart). -1: not complete yet; -2: not a JPEG.
 */
export function jpegEnd(b: Buffer, start: number): number {
  let i = start + 2;
  for (;;) {
    if (i + 2 > b.length) return -1;
    if (b[i] !== 0xff) return -2;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd9) return i + 2;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    if (i + 4 > b.length) return -1;
    const length = b.readUInt16BE(i + 2);
    if (length < 2) return -2;
    i += 2 + length;
    if (marker !== 0xda) continue;
    // After a start of scan: entropy-coded data up to the next real marker.
    for (;;) {
      const ff = b.indexOf(0xff, i);
      if (ff < 0 || ff + 1 >= b.length) return -1;
      const next = b[ff + 1];
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
        i = ff + 2;
        continue;
      }
      if (next === 0xff) {
        i = ff + 1;
        continue;
      }
      i = ff;
      break;
    }
  }
}

export class JpegSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrameBytes = 16 << 20) {}

  /** Complete frames as soon as their end arrives; bytes before a start of image are dropped. */
  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Buffer[] = [];
    for (;;) {
      const start = this.buffer.indexOf(SOI);
      if (start < 0) {
        this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - 2));
        return frames;
      }
      const end = jpegEnd(this.buffer, start);
      if (end === -2) {
        this.buffer = this.buffer.subarray(start + 2);
        continue;
      }
      if (end === -1) {
        this.buffer = this.buffer.subarray(start);
        if (this.buffer.length > this.maxFrameBytes) throw new FrameTooLargeError(`no frame end within ${this.maxFrameBytes} bytes`);
        return frames;
      }
      frames.push(Buffer.from(this.buffer.subarray(start, end)));
      this.buffer = this.buffer.subarray(end);
    }
  }
}
