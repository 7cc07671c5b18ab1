import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { ConnectorError } from '../../common/connector.error.js';
import { readMultipart } from './multipart.reader.js';
import { writeMultipart } from './multipart.writer.js';

async function collect(stream: AsyncIterable<unknown> | null): Promise<Buffer | null> {
  if (stream === null) return null;
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function* chunked(body: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < body.length; i += size) {
    await Promise.resolve();
    yield body.subarray(i, i + size);
  }
}

const limits = { maxHeaderBytes: 1 << 20 };

describe('readMultipart', () => {
  it('reads LF-only bodies as TRUE writes them, taking the boundary from the first -- line', async () => {
    const body = Buffer.from(
      '--abc\nContent-Disposition: form-data; name="header"\nContent-Length: 999\n\n{"a":1}\n--abc\nContent-Disposition: form-data; name="payload"\n\nhello\n--abc--',
    );
    const m = await readMultipart(chunked(body, 7), limits);
    assert.equal(m.header.toString(), '{"a":1}');
    assert.equal((await collect(m.payload))!.toString(), 'hello');
    await m.done;
  });

  it('round-trips binary payloads byte-exact, whatever the chunking', async () => {
    const payload = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    payload.write('\r\n--', 1000, 'latin1');
    for (const size of [1, 3, 64, 4096, 100_000]) {
      // A buffer payload is written as one buffer; a stream payload as a stream.
      const streamed = size % 2 === 1;
      const data = streamed ? Readable.from([payload.subarray(0, 5000), payload.subarray(5000)]) : payload;
      const encoded = writeMultipart('form', '{"h":true}', { data, contentType: 'application/octet-stream', length: payload.length });
      assert.equal(Buffer.isBuffer(encoded.body), !streamed);
      const whole = Buffer.isBuffer(encoded.body) ? encoded.body : (await collect(encoded.body))!;
      assert.equal(whole.length, encoded.length);
      const m = await readMultipart(chunked(whole, size), limits);
      assert.equal(m.header.toString(), '{"h":true}');
      assert.equal(m.payloadContentType, 'application/octet-stream');
      assert.ok((await collect(m.payload))!.equals(payload), `chunk size ${size}`);
    }
  });

  it('has no payload when there is no payload part, and ignores other parts', async () => {
    const body = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="signature"\r\n\r\nxyz\r\n--b\r\nContent-Disposition: form-data; name="header"\r\n\r\n{}\r\n--b--\r\n',
    );
    const m = await readMultipart(chunked(body, 5), limits);
    assert.equal(m.payload, null);
    assert.equal(m.header.toString(), '{}');
  });

  it('takes a payload that comes before the header', async () => {
    const body = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="payload"\r\n\r\nfirst\r\n--b\r\nContent-Disposition: form-data; name="header"\r\n\r\n{}\r\n--b--\r\n',
    );
    const m = await readMultipart(chunked(body, 4), limits);
    assert.equal((await collect(m.payload))!.toString(), 'first');
  });

  for (const [name, body] of [
    ['no header part', '--b\r\nContent-Disposition: form-data; name="payload"\r\n\r\nx\r\n--b--'],
    ['no closing boundary', '--b\r\nContent-Disposition: form-data; name="header"\r\n\r\n{}'],
    ['no boundary at all', '{"@type":"ids:Message"}'],
    [
      'two header parts',
      '--b\r\nContent-Disposition: form-data; name="header"\r\n\r\n{}\r\n--b\r\nContent-Disposition: form-data; name="header"\r\n\r\n{}\r\n--b--',
    ],
  ] as const) {
    it(`refuses a body with ${name} as MALFORMED_MESSAGE`, async () => {
      const failure = (async () => {
        const m = await readMultipart(chunked(Buffer.from(body), 6), limits);
        await collect(m.payload);
        await m.done;
      })();
      await assert.rejects(failure, (e: unknown) => e instanceof ConnectorError && e.code === 'MALFORMED_MESSAGE');
    });
  }

  it('refuses a header part over the limit', async () => {
    const body = Buffer.from(`--b\r\nContent-Disposition: form-data; name="header"\r\n\r\n${'x'.repeat(2000)}\r\n--b--`);
    await assert.rejects(readMultipart(chunked(body, 100), { maxHeaderBytes: 1000 }), /header part exceeds 1000 bytes/);
  });
});
