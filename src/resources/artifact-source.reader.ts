import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ConnectorError } from '../common/connector.error.js';
import type { BlobStore } from './blob.store.js';
import type { FileSourceGuard } from './file-source.guard.js';
import type { ArtifactEntity } from './entities/artifact.entity.js';

export interface ArtifactData {
  stream: Readable;
  size?: number;
  mediaType?: string;
}

/** Opens an artifact's bytes from wherever they live, as a stream. */
export class ArtifactSourceReader {
  constructor(
    private readonly blobs: BlobStore,
    private readonly files: FileSourceGuard,
    /** Times out on connect and on a stalled body, never on a long transfer (see trustingFetch). */
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async open(artifact: ArtifactEntity): Promise<ArtifactData> {
    const location = artifact.sourceLocation;
    switch (artifact.sourceType) {
      case 'upload':
        if (location === null) throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no data yet`);
        return this.openFile(location, artifact.byteSize);
      case 'file': {
        if (location === null) throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no file`);
        // Checked again at every read: the directories may have been narrowed, or a link swapped, since.
        const real = await this.files.check(location).catch((error: unknown) => {
          throw new ConnectorError('NOT_FOUND', `the file of artifact ${artifact.iri} may no longer be served: ${error instanceof Error ? error.message : String(error)}`);
        });
        // The file's size now, not at registration (TRUE's multipart reader wants a Content-Length per part).
        return this.openFile(real, (await stat(real)).size);
      }
      case 'http':
        return this.fetch(artifact, location);
      case 'data-app':
      case 'none':
        throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no data source`);
    }
  }

  /** Opened (or failed) before anything is claimed: a missing file is NOT_FOUND, not a broken transfer. */
  private async openFile(path: string, size: number | null): Promise<ArtifactData> {
    const stream = this.blobs.open(path);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error) => reject(new ConnectorError('NOT_FOUND', `the artifact's bytes cannot be read: ${error.message}`)));
    });
    return { stream, ...(size === null ? {} : { size }) };
  }

  private async fetch(artifact: ArtifactEntity, url: string | null): Promise<ArtifactData> {
    if (url === null) throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no URL`);
    let response: Response;
    try {
      response = await this.fetchFn(url);
    } catch (error) {
      throw new ConnectorError('REMOTE_ERROR', `the data source ${url} of artifact ${artifact.iri} is unreachable: ${String(error)}`);
    }
    if (!response.ok || response.body === null) {
      throw new ConnectorError('REMOTE_ERROR', `the data source ${url} of artifact ${artifact.iri} answered HTTP ${response.status}`);
    }
    const length = Number(response.headers.get('content-length'));
    const mediaType = response.headers.get('content-type');
    return {
      stream: Readable.fromWeb(response.body),
      ...(Number.isFinite(length) && length > 0 ? { size: length } : {}),
      ...(mediaType === null ? {} : { mediaType }),
    };
  }
}
