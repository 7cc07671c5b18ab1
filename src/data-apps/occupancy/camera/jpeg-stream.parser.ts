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

export class MjpegParser {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly delimiter: Buffer;
  private expected: number | undefined;
  private inPart = false;

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

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Buffer[] = [];
    for (;;) {
      if (!this.inPart) {
        const at = this.buffer.indexOf(this.delimiter);
        if (at < 0) {
          this.guard();
          return frames;
        }
        const headersEnd = this.buffer.indexOf('\r\n\r\n', at);
        if (headersEnd < 0) {
          this.guard();
          return frames;
        }
        const headers = this.buffer.subarray(at + this.delimiter.length, headersEnd).toString('latin1');
        const length = /content-length\s*:\s*(\d+)/i.exec(headers);
        this.expected = length === null ? undefined : Number(length[1]);
        if (this.expected !== undefined && this.expected > this.maxFrameBytes) throw new FrameTooLargeError(`a part announces ${this.expected} bytes`);
        this.buffer = this.buffer.subarray(headersEnd + 4);
        this.inPart = true;
      }
      let end: number;
      let skip: number;
      if (this.expected !== undefined) {
        if (this.buffer.length < this.expected) {
          this.guard();
          return frames;
        }
        end = this.expected;
        skip = this.expected;
      } else {
        const next = this.buffer.indexOf(this.delimiter);
        if (next < 0) {
          this.guard();
          return frames;
        }
        end = next;
        skip = next;
        // The CRLF before the delimiter belongs to it.
        while (end > 0 && (this.buffer[end - 1] === 0x0a || this.buffer[end - 1] === 0x0d)) end--;
      }
      frames.push(Buffer.from(this.buffer.subarray(0, end)));
      this.buffer = this.buffer.subarray(skip);
      this.inPart = false;
    }
  }

  private guard(): void {
    if (this.buffer.length > this.maxFrameBytes) throw new FrameTooLargeError(`no frame delimited within ${this.maxFrameBytes} bytes`);
  }
}

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
