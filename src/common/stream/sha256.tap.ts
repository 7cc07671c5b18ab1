import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';

export interface TapResult {
  /** Lower-case hex SHA-256 of the bytes that went through. */
  sha256: string;
  bytes: number;
  /** The source reached its end and every byte went on; false when the reader or the source broke off. */
  complete: boolean;
}

/**
 * Passes `source` on unchanged while hashing it, and says once, at the end, what actually went through: the
 * evidence of a transfer is the bytes served, not a checksum stored earlier (which is null for HTTP sources and
 * stale when a local file changed).
 */
export function sha256Tap(source: Readable, onDone: (result: TapResult) => void): Readable {
  const hash = createHash('sha256');
  let bytes = 0;
  let reported = false;
  const report = (complete: boolean): void => {
    if (reported) return;
    reported = true;
    onDone({ sha256: hash.digest('hex'), bytes, complete });
  };
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  pipeline(source, tap, (error) => {
    if (error) report(false);
  });
  // Complete only when the reader has taken the last byte; closed before that, the transfer broke off.
  tap.on('end', () => report(true));
  tap.on('close', () => report(false));
  // A tap nobody reads to the end is destroyed by its reader; that is a broken transfer, not a crash.
  tap.on('error', () => undefined);
  return tap;
}
