/**
 * Writes IDS multipart bodies the way TRUE Connector's parser needs them (TRUE's multipart library, MultipartMessageProcessor.getPartHeader):
 * each part carries `Content-Disposition: form-data; name="header"|"payload"` and a `Content-Length` line
 * (TRUE's MultipartMessageProcessor fails without it), CRLF line endings, header part `application/ld+json`.
 * The payload is streamed when it is a stream.
 */
import { randomBytes } from 'node:crypto';
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
  body: Readable;
  length?: number;
}

export function payloadLength(payload: OutboundPayload): number | undefined {
  if (typeof payload.data === 'string') return Buffer.byteLength(payload.data);
  if (Buffer.isBuffer(payload.data)) return payload.data.length;
  return payload.length;
}

export function writeMultipart(kind: MultipartKind, header: string, payload?: OutboundPayload): EncodedBody {
  const boundary = randomBytes(18).toString('base64url');
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
  async function* parts(): AsyncGenerator<Buffer> {
    yield Buffer.concat([head, headerBytes, payloadHead]);
    if (payload !== undefined) {
      if (typeof payload.data === 'string') yield Buffer.from(payload.data, 'utf8');
      else if (Buffer.isBuffer(payload.data)) yield payload.data;
      else for await (const chunk of payload.data) yield Buffer.from(chunk as Buffer);
    }
    yield tail;
  }
  const knownLength = payload === undefined ? 0 : size;
  return {
    contentType: `multipart/${kind === 'form' ? 'form-data' : 'mixed'}; boundary=${boundary}`,
    body: Readable.from(parts(), { objectMode: false }),
    ...(knownLength === undefined ? {} : { length: head.length + headerBytes.length + payloadHead.length + knownLength + tail.length }),
  };
}
