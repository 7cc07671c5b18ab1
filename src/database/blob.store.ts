import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConnectorError, storageFailure } from '../common/connector.error.js';
import { discardRest } from '../common/stream/discard.js';
import { within } from '../common/within.js';

export interface StoredBlob {
  path: string;
  size: number;
  sha256: string;
}

/**
 * Artifact bytes on disk, streamed: nothing is held whole in memory (a 1 kHz sensor log or a video clip may be
 * large). Writes go to a temporary file that is renamed only when complete, so a failed upload leaves nothing.
 */
export class BlobStore {
  constructor(private readonly dir: string) {}

  /** `setting` names the limit in the error a client sees when it is exceeded. */
  async write(source: Readable, maxBytes: number, setting = 'FEP_UPLOAD_MAX_BYTES'): Promise<StoredBlob> {
    await mkdir(this.dir, { recursive: true });
    const id = randomUUID();
    const temp = join(this.dir, `${id}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new ConnectorError('PAYLOAD_TOO_LARGE', `the artifact is larger than the limit of ${maxBytes} bytes (${setting})`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      // The source is piped, not part of the pipeline: when the disk fails, the request is read to its end (and
      // dropped) rather than destroyed, so that its client reads the 507 instead of a reset.
      const written = pipeline(meter, createWriteStream(temp));
      source.once('error', (error) => meter.destroy(error));
      source.pipe(meter);
      await written.catch(async (error: unknown) => {
        source.unpipe(meter);
        await within(discardRest(source), 30_000, 'the rest of the upload').catch(() => source.destroy());
        throw error;
      });
    } catch (error) {
      await rm(temp, { force: true });
      // A full disk is the node's trouble (507), not an interrupted upload (the client's).
      throw error instanceof ConnectorError
        ? error
        : (storageFailure(error) ?? new ConnectorError('BAD_INPUT', `the upload was interrupted: ${String(error)}`, 'body'));
    }
    const path = join(this.dir, id);
    await rename(temp, path);
    return { path, size, sha256: hash.digest('hex') };
  }

  open(path: string): ReadStream {
    return createReadStream(path);
  }

  /** Opened, or failed (a missing file is NOT_FOUND), before anyone relies on the bytes being there. */
  async openChecked(path: string): Promise<ReadStream> {
    const stream = createReadStream(path);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error) => reject(new ConnectorError('NOT_FOUND', `the artifact's bytes cannot be read: ${error.message}`)));
    });
    return stream;
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /** Size and SHA-256 of a file somewhere on disk (an artifact backed by a local file). */
  async describe(path: string): Promise<{ size: number; sha256: string }> {
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw ConnectorError.badInput('sourceLocation', `${path} is not a readable file`);
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    return { size: info.size, sha256: hash.digest('hex') };
  }
}
