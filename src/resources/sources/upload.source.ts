import { Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ConnectorError } from '../../common/connector.error.js';
import { BlobStore } from '../../database/blob.store.js';
import type { ArtifactEntity } from '../entities/artifact.entity.js';
import { ArtifactSourceKind, type ArtifactData, type ArtifactSource, type RegisteredSource } from './artifact-source.contract.js';

/** Uploads up to this size are kept in memory once read (an IDS exchange of a small artifact opens no file). */
const SMALL = 64 * 1024;
/** Bytes of small uploads kept in memory at most. */
const BUDGET = 16 * 1024 * 1024;

/**
 * `upload`: bytes sent to `PUT /api/artifacts/{id}/data`, kept in the data dir. A stored upload never changes (a new
 * upload is a new file, the old one removed), so small ones are served from memory, keyed by their file.
 */
@Injectable()
@ArtifactSourceKind('upload')
export class UploadSource implements ArtifactSource {
  private readonly small = new Map<string, Buffer>();
  private held = 0;

  constructor(private readonly blobs: BlobStore) {}

  register(): Promise<RegisteredSource> {
    return Promise.resolve({ location: null, byteSize: null, checksum: null });
  }

  async open(artifact: ArtifactEntity): Promise<ArtifactData> {
    const path = artifact.sourceLocation;
    if (path === null) throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no data yet`);
    const kept = this.small.get(path);
    if (kept !== undefined) return { stream: Readable.from([kept]), bytes: kept, size: kept.length };
    if (artifact.byteSize !== null && artifact.byteSize <= SMALL) {
      const bytes = await readFile(path).catch((error: Error) => {
        throw new ConnectorError('NOT_FOUND', `the artifact's bytes cannot be read: ${error.message}`);
      });
      if (bytes.length === artifact.byteSize) this.keep(path, bytes);
      return { stream: Readable.from([bytes]), bytes, size: bytes.length };
    }
    const stream = await this.blobs.openChecked(path);
    return { stream, ...(artifact.byteSize === null ? {} : { size: artifact.byteSize }) };
  }

  private keep(path: string, bytes: Buffer): void {
    while (this.held + bytes.length > BUDGET && this.small.size > 0) {
      const [oldest, buffer] = this.small.entries().next().value as [string, Buffer];
      this.small.delete(oldest);
      this.held -= buffer.length;
    }
    this.small.set(path, bytes);
    this.held += bytes.length;
  }
}
