import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { FrameTooLargeError, jpegEnd, jpegSize, JpegSplitter, MjpegParser } from './jpeg-stream.parser.js';

async function jpeg(colour: number, withThumbnail = false): Promise<Buffer> {
  const image = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: colour, g: 255 - colour, b: 90 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
  if (!withThumbnail) return image;
  // An APP1 segment holding a whole JPEG (as an EXIF thumbnail does), right after SOI.
  const inner = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } }).jpeg().toBuffer();
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.alloc(2), Buffer.from('Exif\0\0'), inner]);
  app1.writeUInt16BE(app1.length - 2, 2);
  return Buffer.concat([image.subarray(0, 2), app1, image.subarray(2)]);
}

function chunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

describe('JPEG frames out of camera streams', () => {
  it('finds a JPEG’s real end, not the end of the thumbnail inside it', async () => {
    const frame = await jpeg(10, true);
    assert.equal(jpegEnd(frame, 0), frame.length);
    assert.equal(jpegEnd(frame.subarray(0, frame.length - 1), 0), -1);
    assert.equal(jpegEnd(Buffer.from([0xff, 0xd8, 0x00, 0x11]), 0), -2);
  });

  it('splits ffmpeg’s back-to-back JPEGs at any chunking, dropping garbage between them', async () => {
    const frames = [await jpeg(10), await jpeg(200, true), await jpeg(120)];
    const stream = Buffer.concat([Buffer.from('noise'), frames[0], frames[1], Buffer.from([1, 2, 3]), frames[2]]);
    for (const size of [1, 7, 100, stream.length]) {
      const splitter = new JpegSplitter();
      const out = chunks(stream, size).flatMap((c) => splitter.push(c));
      assert.deepEqual(out, frames, `chunks of ${size}`);
    }
  });

  it('reads MJPEG parts with and without Content-Length, and boundaries written either way', async () => {
    const frames = [await jpeg(30, true), await jpeg(60)];
    for (const [declared, written, lengths] of [
      ['myboundary', '--myboundary', true],
      ['"--myboundary"', '--myboundary', false],
      ['myboundary', '--myboundary', false],
    ] as const) {
      const body = Buffer.concat(
        frames.flatMap((f) => [Buffer.from(`${written}\r\nContent-Type: image/jpeg\r\n${lengths ? `Content-Length: ${f.length}\r\n` : ''}\r\n`), f, Buffer.from('\r\n')]),
      );
      const parser = new MjpegParser(declared);
      const out = [...chunks(body, 13).flatMap((c) => parser.push(c)), ...parser.push(Buffer.from(`${written}\r\n`))];
      assert.deepEqual(out.slice(0, 2), frames, `${declared} ${lengths}`);
    }
    assert.equal(MjpegParser.boundaryOf('multipart/x-mixed-replace; boundary="abc def"'), 'abc def');
    assert.equal(MjpegParser.boundaryOf('multipart/x-mixed-replace;boundary=--frame'), '--frame');
  });

  it('refuses to buffer a stream that never delimits a frame', () => {
    const parser = new MjpegParser('b', 1000);
    assert.throws(() => parser.push(Buffer.alloc(2000, 7)), FrameTooLargeError);
    const splitter = new JpegSplitter(1000);
    assert.throws(() => splitter.push(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]), Buffer.alloc(2000, 7)])), FrameTooLargeError);
  });

  it('reads a JPEG’s dimensions from its frame header without decoding it, baseline and progressive', async () => {
    assert.deepEqual(jpegSize(await jpeg(10, true)), { width: 64, height: 48 });
    const progressive = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080' } }).jpeg({ progressive: true }).toBuffer();
    assert.deepEqual(jpegSize(progressive), { width: 300, height: 200 });
    // A header announcing 16000 x 16000 is read as such from its first bytes alone.
    const sof = progressive.indexOf(Buffer.from([0xff, 0xc2]));
    const huge = Buffer.from(progressive.subarray(0, sof + 9));
    huge.writeUInt16BE(16000, sof + 5);
    huge.writeUInt16BE(16000, sof + 7);
    assert.deepEqual(jpegSize(huge), { width: 16000, height: 16000 });
    assert.equal(jpegSize(Buffer.from('not a jpeg')), undefined);
  });

  it('searches each received byte once: a 16 MiB part without a boundary, in 1 KB pieces, is refused at once', { timeout: 20_000 }, async () => {
    // Hardening round 3, finding 6: each piece re-joined and re-scanned the whole buffer (16 MiB / 1 KB pieces: about
    // 134 GB copied), stalling partner requests for seconds.
    const parser = new MjpegParser('frame');
    parser.push(Buffer.from('--frame\r\nContent-Type: image/jpeg\r\n\r\n'));
    const piece = Buffer.alloc(1024, 0x41);
    const started = process.hrtime.bigint();
    let refused: unknown;
    try {
      for (let i = 0; i < 17 * 1024; i++) {
        parser.push(piece);
        // As a socket delivers them: between pieces the event loop turns (and this test's timeout can fire).
        if (i % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      refused = error;
    }
    assert.ok(refused instanceof FrameTooLargeError, String(refused));
    console.log(`# 16 MiB in 1 KB pieces parsed and refused in ${Number(process.hrtime.bigint() - started) / 1e6} ms`);
  });

  it('still finds a delimiter split across pieces after a long search', () => {
    const parser = new MjpegParser('frame');
    const frame = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100_000, 1)]);
    const body = Buffer.concat([Buffer.from('--frame\r\n\r\n'), frame, Buffer.from('\r\n--frame\r\n\r\n')]);
    const out = chunks(body, 3).flatMap((c) => parser.push(c));
    assert.deepEqual(out, [frame]);
  });
});
