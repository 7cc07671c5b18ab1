import { Readable } from 'node:stream';
import { ConnectorError } from '../common/connector.error.js';
import type { BlobStore } from './blob.store.js';
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
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async open(artifact: ArtifactEntity): Promise<ArtifactData> {
    const location = artifact.sourceLocation;
    switch (artifact.sourceType) {
      case 'upload':
      case 'file':
        if (location === null) throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no data yet`);
        return { stream: this.blobs.open(location), ...(artifact.byteSize === null ? {} : { size: artifact.byteSize }) };
      case 'http':
        return this.fetch(artifact, location);
      case 'data-app':
      case 'none':
        throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no data source`);
    }
  }

  private async fetch(artifact: ArtifactEntity, url: string | null): Promise<ArtifactData> {
    if (url === null) throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no URL`);
    let response: Response;
    try {
      response = await this.fetchFn(url, { signal: AbortSignal.timeout(30_000) });
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
