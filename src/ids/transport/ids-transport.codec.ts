/**
 * The three REST transports TRUE Connector speaks, as codecs over one message shape: multipart/form-data
 * ("form", TRUE's default), multipart/mixed ("mixed") and http-header. Received messages are told apart by the
 * request itself (TRUE cannot: its peers must agree on one format, TRUE doc/modifyingConfiguration/messageformat.md).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ConnectorError } from '../../common/connector.error.js';
import { parseJson } from '../../common/json.js';
import { isObject } from '../infomodel/jsonld.reader.js';
import type { JsonLd } from '../infomodel/jsonld.writer.js';
import { hasIdsHeaders, headersToMessage, messageToHeaders } from './http-header.codec.js';
import { readMultipart } from './multipart.reader.js';
import { writeMultipart, payloadLength, type OutboundPayload } from './multipart.writer.js';

export const TRANSPORTS = ['form', 'mixed', 'http-header'] as const;

/** Largest JSON-LD header part: IDS messages are small; anything bigger is refused as malformed. */
export const MAX_HEADER_PART_BYTES = 1024 * 1024;
export type Transport = (typeof TRANSPORTS)[number];

export interface DecodedMessage {
  transport: Transport;
  header: JsonLd;
  payload: Readable | null;
  payloadContentType?: string;
  /** Settles when the body has been read to its end. */
  done: Promise<void>;
}

export interface EncodedMessage {
  headers: Record<string, string | string[]>;
  body: Readable | Buffer | string | null;
  length?: number;
}

export function detectTransport(headers: IncomingHttpHeaders): Transport | undefined {
  const type = (headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return 'form';
  if (type.startsWith('multipart/mixed')) return 'mixed';
  if (hasIdsHeaders(headers)) return 'http-header';
  return undefined;
}

/** The first chunk of a stream, put back so the stream still yields everything. */
function peek(body: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const done = (chunk: Buffer | null): void => {
      body.off('readable', onReadable).off('end', onEnd).off('error', reject);
      if (chunk !== null) body.unshift(chunk);
      resolve(chunk);
    };
    const onReadable = (): void => done(body.read() as Buffer | null);
    const onEnd = (): void => done(null);
    body.once('readable', onReadable).once('end', onEnd).once('error', reject);
  });
}

/** A body this small (by its Content-Length) is read whole before it is parsed: most messages are a header alone. */
const SMALL_BODY_BYTES = 64 * 1024;

/** Reads a small body with plain events (an async iterator per request costs more than the parsing). */
function readSmallBody(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer): void => void chunks.push(chunk);
    const off = (): void => void body.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    const onEnd = (): void => {
      off();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    const fail = (reason: string): void => {
      off();
      reject(new ConnectorError('MALFORMED_MESSAGE', `the body ended early: ${reason}`, 'body'));
    };
    const onError = (error: Error): void => fail(error.message);
    const onClose = (): void => {
      if (!body.readableEnded) fail('the connection closed before the whole body arrived');
    };
    body.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}

/**
 * The transport of a received message from its headers, or (TRUE's data apps post multipart/mixed bodies as
 * text/plain) from a body that starts with a `--` boundary line.
 */
export async function sniffTransport(headers: IncomingHttpHeaders, body: Readable): Promise<Transport | undefined> {
  const known = detectTransport(headers);
  if (known !== undefined) return known;
  const first = await peek(body);
  return first !== null && first.subarray(0, 2).toString() === '--' ? 'mixed' : undefined;
}

function parseHeaderJson(bytes: Buffer): JsonLd {
  const value = parseJson(bytes, 'header part', 'header');
  if (!isObject(value)) throw new ConnectorError('MALFORMED_MESSAGE', 'header part: must be a JSON-LD object', 'header');
  return value;
}

/**
 * Settles when `body` has been read to its end, rejecting if it errs or closes early. Handled at once: a client
 * that cuts the request short is that request's failure (seen by whoever reads the payload), never an unhandled
 * rejection that stops the process.
 */
export function endOf(body: Readable): Promise<void> {
  const done = finished(body, { writable: false }).catch((error: unknown) => {
    throw new ConnectorError(
      'MALFORMED_MESSAGE',
      `the body ended early: ${error instanceof Error ? error.message : String(error)}`,
      'body',
    );
  });
  done.catch(() => undefined);
  return done;
}

export async function decodeMessage(
  headers: IncomingHttpHeaders,
  body: Readable,
  transport = detectTransport(headers),
): Promise<DecodedMessage> {
  if (transport === undefined) {
    throw new ConnectorError(
      'MALFORMED_MESSAGE',
      'not an IDS message: expected multipart/form-data, multipart/mixed, or IDS-* headers (http-header transport)',
      'content-type',
    );
  }
  if (transport === 'http-header') {
    const length = headers['content-length'];
    const hasBody = headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    const contentType = headers['content-type'];
    return {
      transport,
      header: headersToMessage(headers),
      payload: hasBody ? body : null,
      ...(hasBody && contentType !== undefined ? { payloadContentType: contentType } : {}),
      done: hasBody ? endOf(body) : Promise.resolve(),
    };
  }
  const length = Number(headers['content-length'] ?? Number.NaN);
  const source: AsyncIterable<Buffer> | Buffer[] =
    length <= SMALL_BODY_BYTES
      ? [await readSmallBody(body)]
      : // Not destroyed when parsing stops early: the connection must survive to carry the rejection.
        (body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>);
  const message = await readMultipart(source, { maxHeaderBytes: MAX_HEADER_PART_BYTES });
  return {
    transport,
    header: parseHeaderJson(message.header),
    payload: message.payload,
    ...(message.payloadContentType === undefined ? {} : { payloadContentType: message.payloadContentType }),
    done: message.done,
  };
}

export function encodeMessage(transport: Transport, header: JsonLd, payload?: OutboundPayload): EncodedMessage {
  if (transport === 'http-header') {
    const length = payload === undefined ? 0 : payloadLength(payload);
    return {
      headers: {
        ...messageToHeaders(header),
        ...(payload === undefined ? {} : { 'Content-Type': payload.contentType }),
        ...(length === undefined ? {} : { 'Content-Length': String(length) }),
      },
      body: payload?.data ?? null,
      ...(length === undefined ? {} : { length }),
    };
  }
  const encoded = writeMultipart(transport, JSON.stringify(header), payload);
  return {
    headers: { 'Content-Type': encoded.contentType, ...(encoded.length === undefined ? {} : { 'Content-Length': String(encoded.length) }) },
    body: encoded.body,
    ...(encoded.length === undefined ? {} : { length: encoded.length }),
  };
}

/**
 * A stream that broke under the reader (the client closed the connection, cut the body short, sent bad chunks) is
 * the client's fault: MALFORMED_MESSAGE, not an internal error.
 */
export function asStreamFault(error: unknown): unknown {
  if (error instanceof ConnectorError) return error;
  const code = (error as { code?: unknown }).code;
  if (
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    code === 'HPE_INVALID_CHUNK_SIZE' ||
    (error instanceof Error && error.message === 'aborted')
  ) {
    return new ConnectorError(
      'MALFORMED_MESSAGE',
      `the request was cut off (${error instanceof Error ? error.message : String(error)})`,
      'body',
    );
  }
  return error;
}

/** Collects a (small) payload or body into memory, refusing more than `limit` bytes (named by `setting`). */
export async function readPayload(stream: Readable | null, limit: number, setting = 'FEP_MAX_MESSAGE_BYTES'): Promise<Buffer | null> {
  if (stream === null) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        throw new ConnectorError('PAYLOAD_TOO_LARGE', `the payload exceeds ${limit} bytes (${setting})`, 'payload');
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw asStreamFault(error);
  }
  return Buffer.concat(chunks);
}
