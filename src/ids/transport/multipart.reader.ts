/**
 * Streaming reader for IDS multipart bodies (multipart/form-data and multipart/mixed, IDS-G multipart README;
 * TRUE's multipart library, MultipartMessageProcessor.java). Tolerant as TRUE Connector's parser is: the boundary is the first line that
 * starts with `--` (the Content-Type parameter is not trusted), lines end in CRLF or LF, and only parts named
 * `header` and `payload` matter. Unlike TRUE's, it is byte-exact and streams: the header part is buffered (with a
 * limit), the payload is handed on as a stream as it arrives, so a large artifact is never held whole.
 */
import { PassThrough, type Readable } from 'node:stream';
import { ConnectorError } from '../../common/connector.error.js';

export interface MultipartMessage {
  header: Buffer;
  /** Null when the message has no payload part. */
  payload: Readable | null;
  payloadContentType?: string;
  /** Settles when the whole body has been read; rejects if it turns out malformed after the header. */
  done: Promise<void>;
}

export interface ReaderLimits {
  /** Largest header part (the JSON-LD message). */
  maxHeaderBytes: number;
  /** Largest block of part headers (Content-Disposition etc.). */
  maxPartHeadersBytes?: number;
  /** Parts read at most (an IDS message has two; more is refused before they are parsed). */
  maxParts?: number;
}

const EARLY_PAYLOAD_LIMIT = 16 * 1024 * 1024;

const malformed = (reason: string): ConnectorError => new ConnectorError('MALFORMED_MESSAGE', `multipart body: ${reason}`, 'body');

function partName(headers: Map<string, string>): string | undefined {
  const disposition = headers.get('content-disposition') ?? '';
  return /name="([^"]*)"/i.exec(disposition)?.[1] ?? /name=([^;\s]+)/i.exec(disposition)?.[1];
}

function parsePartHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * Where the part headers end: the first blank line (`\r?\n\r?\n`) within `within` bytes, found by looking at the line
 * ends only (the regular expression on a 16 KiB string per part cost about 400 ms of CPU for 100,000 empty parts).
 */
function blankLine(buf: Buffer, within: number): { at: number; length: number } | undefined {
  const end = Math.min(buf.length, within);
  for (let lf = buf.indexOf(0x0a); lf >= 0 && lf < end; lf = buf.indexOf(0x0a, lf + 1)) {
    const at = lf > 0 && buf[lf - 1] === 0x0d ? lf - 1 : lf;
    if (buf[lf + 1] === 0x0a) return { at, length: lf + 2 - at };
    if (buf[lf + 1] === 0x0d && buf[lf + 2] === 0x0a) return { at, length: lf + 3 - at };
    if (lf + 2 >= buf.length) return undefined;
  }
  return undefined;
}

export function readMultipart(source: AsyncIterable<Buffer | string> | Iterable<Buffer>, limits: ReaderLimits): Promise<MultipartMessage> {
  const maxPartHeaders = limits.maxPartHeadersBytes ?? 16 * 1024;
  const maxParts = limits.maxParts ?? 16;
  return new Promise<MultipartMessage>((resolveMessage, rejectMessage) => {
    let settled = false;
    let header: Buffer | undefined;
    let payload: PassThrough | null = null;
    let payloadContentType: string | undefined;
    let resolveDone!: () => void;
    let rejectDone!: (e: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolveDone = res;
      rejectDone = rej;
    });
    done.catch(() => undefined);
    const announce = (): void => {
      if (settled || header === undefined) return;
      settled = true;
      resolveMessage({ header, payload, ...(payloadContentType === undefined ? {} : { payloadContentType }), done });
    };

    const run = async (): Promise<void> => {
      let buf = Buffer.alloc(0);
      let delimiter: Buffer | undefined;
      let state: 'preamble' | 'headers' | 'body' | 'after-delimiter' | 'epilogue' = 'preamble';
      let current: { name: string | undefined; chunks: Buffer[]; size: number; stream: PassThrough | null } | undefined;
      let parts = 0;

      const emit = async (chunk: Buffer): Promise<void> => {
        if (!current || chunk.length === 0) return;
        // Its reader gave up (the message was refused): the rest of the payload is read and dropped.
        if (current.stream?.destroyed) return;
        if (current.stream) {
          // Before the header is known nobody reads the payload yet: buffer it (bounded) instead of waiting.
          if (header === undefined) {
            current.size += chunk.length;
            if (current.size > EARLY_PAYLOAD_LIMIT) {
              throw malformed(`a payload part before the header part may not exceed ${EARLY_PAYLOAD_LIMIT} bytes`);
            }
            current.stream.write(chunk);
          } else if (!current.stream.write(chunk)) {
            const stream = current.stream;
            await new Promise<void>((r) => {
              const done = (): void => {
                stream.off('drain', done).off('close', done);
                r();
              };
              stream.once('drain', done).once('close', done);
            });
          }
          return;
        }
        current.size += chunk.length;
        if (current.name === 'header' && current.size > limits.maxHeaderBytes) {
          throw malformed(`the header part exceeds ${limits.maxHeaderBytes} bytes`);
        }
        if (current.name === 'header') current.chunks.push(chunk);
      };
      const finishPart = (): void => {
        if (!current) return;
        if (current.name === 'header') {
          if (header !== undefined) throw malformed('more than one part named "header"');
          header = Buffer.concat(current.chunks);
          if (payload !== null) announce();
        } else if (current.stream) {
          current.stream.end();
        }
        current = undefined;
      };

      for await (const piece of source) {
        buf = buf.length === 0 ? Buffer.from(piece) : Buffer.concat([buf, Buffer.from(piece)]);
        for (;;) {
          if (state === 'preamble') {
            const start = buf.subarray(0, 2).toString() === '--' ? 0 : buf.indexOf('\n--') + 1;
            if (start <= 0 && buf.subarray(0, 2).toString() !== '--') {
              if (buf.length > 64 * 1024) throw malformed('no boundary line');
              break;
            }
            const eol = buf.indexOf('\n', start);
            if (eol < 0) break;
            const boundary = buf
              .subarray(start + 2, eol)
              .toString('latin1')
              .trim();
            if (boundary === '' || boundary.length > 200) throw malformed('bad boundary line');
            delimiter = Buffer.from(`\n--${boundary}`, 'latin1');
            buf = buf.subarray(eol + 1);
            state = 'headers';
          } else if (state === 'headers') {
            if (++parts > maxParts) throw malformed(`more than ${maxParts} parts (an IDS message has a header and a payload)`);
            const end = blankLine(buf, maxPartHeaders + 4);
            if (end === undefined) {
              if (buf.length > maxPartHeaders) throw malformed('part headers too long');
              parts--;
              break;
            }
            const headers = parsePartHeaders(buf.subarray(0, end.at).toString('utf8'));
            buf = buf.subarray(end.at + end.length);
            const name = partName(headers);
            let stream: PassThrough | null = null;
            if (name === 'payload') {
              if (payload !== null) throw malformed('more than one part named "payload"');
              payload = stream = new PassThrough();
              // A failure before anyone reads the payload must not become an uncaught 'error' event;
              // readers still get it through their iterator.
              stream.on('error', () => undefined);
              payloadContentType = headers.get('content-type');
              announce();
            }
            current = { name, chunks: [], size: 0, stream };
            state = 'body';
          } else if (state === 'body') {
            const at = buf.indexOf(delimiter!);
            if (at < 0) {
              // Keep enough back to find a delimiter split across chunks (and a CR before it).
              const safe = buf.length - delimiter!.length - 1;
              if (safe > 0) {
                await emit(buf.subarray(0, safe));
                buf = buf.subarray(safe);
              }
              break;
            }
            const contentEnd = at > 0 && buf[at - 1] === 0x0d ? at - 1 : at;
            await emit(buf.subarray(0, contentEnd));
            finishPart();
            buf = buf.subarray(at + delimiter!.length);
            state = 'after-delimiter';
          } else if (state === 'after-delimiter') {
            if (buf.length < 2) break;
            if (buf.subarray(0, 2).toString() === '--') {
              state = 'epilogue';
              continue;
            }
            const eol = buf.indexOf('\n');
            if (eol < 0) break;
            buf = buf.subarray(eol + 1);
            state = 'headers';
          } else {
            buf = Buffer.alloc(0);
            break;
          }
        }
      }
      if (state !== 'epilogue') {
        // Tolerate a body cut right after the last part's content (no closing delimiter) only for the header.
        throw malformed(state === 'preamble' ? 'no parts' : 'the body ends before the closing boundary');
      }
      if (header === undefined) throw malformed('no part named "header"');
      announce();
    };

    run().then(
      () => {
        announce();
        resolveDone();
      },
      (error: unknown) => {
        const failure = error instanceof ConnectorError ? error : malformed(error instanceof Error ? error.message : String(error));
        payload?.destroy(failure);
        rejectDone(failure);
        if (!settled) {
          settled = true;
          rejectMessage(failure);
        }
      },
    );
  });
}
