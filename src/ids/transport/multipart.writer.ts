/**
 * Writes IDS multipart bodies the way TRUE Connector's parser needs them (TRUE's multipart library, MultipartMessageProcessor.getPartHeader):
 * each part carries `Content-Disposition: form-data; name="header"|"payload"` and a `Content-Length` line
 * (TRUE's MultipartMessageProcessor fails without it), CRLF line endings, header part `application/ld+json`.
 * The payload is streamed when it is a stream.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

export type MultipartKind = 'form' | 'mixed';

export interface OutboundPayload {
  data: Buffer | string | Readable;
  contentType: string;
  /** Byte length, when known (always known for buffers and strings). */
  length?: number;
}

export interface EncodedBody {
  contentType: string;
  /** One buffer when nothing streams (a reply's header and a small payload: no stream machinery per reply). */
  body: Buffer | Readable;
  length?: number;
}

export function payloadLength(payload: OutboundPayload): number | undefined {
  if (typeof payload.data === 'string') return Buffer.byteLength(payload.data);
  if (Buffer.isBuffer(payload.data)) return payload.data.length;
  return payload.length;
}

export function writeMultipart(kind: MultipartKind, header: string, payload?: OutboundPayload): EncodedBody {
  // 122 random bits (RFC 2046 5.1.1: a boundary must not occur in the parts), from Node's pooled UUID entropy:
  // fresh random bytes per reply cost more than the rest of its encoding.
  const boundary = randomUUID().replaceAll('-', '');
  const headerBytes = Buffer.from(header, 'utf8');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="header"\r\nContent-Length: ${headerBytes.length}\r\nContent-Type: application/ld+json\r\n\r\n`,
  );
  const size = payload === undefined ? undefined : payloadLength(payload);
  const payloadHead =
    payload === undefined
      ? Buffer.alloc(0)
      : Buffer.from(
          `\r\n--${boundary}\r\nContent-Disposition: form-data; name="payload"\r\n${size === undefined ? '' : `Content-Length: ${size}\r\n`}Content-Type: ${payload.contentType}\r\n\r\n`,
        );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const contentType = `multipart/${kind === 'form' ? 'form-data' : 'mixed'}; boundary=${boundary}`;
  const data = payload?.data;
  if (!(data instanceof Readable)) {
    const body = Buffer.concat([
      head,
      headerBytes,
      payloadHead,
      typeof data === 'string' ? Buffer.from(data, 'utf8') : (data ?? Buffer.alloc(0)),
      tail,
    ]);
    return { contentType, body, length: body.length };
  }
  async function* parts(stream: Readable): AsyncGenerator<Buffer> {
    yield Buffer.concat([head, headerBytes, payloadHead]);
    for await (const chunk of stream) yield Buffer.from(chunk as Buffer);
    yield tail;
  }
  return {
    contentType,
    body: Readable.from(parts(data), { objectMode: false }),
    ...(size === undefined ? {} : { length: head.length + headerBytes.length + payloadHead.length + size + tail.length }),
  };
}
