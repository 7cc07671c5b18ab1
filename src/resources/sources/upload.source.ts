import { Injectable } from '@nestjs/common';
import { ConnectorError } from '../../common/connector.error.js';
import { BlobStore } from '../../database/blob.store.js';
import type { ArtifactEntity } from '../entities/artifact.entity.js';
import { ArtifactSourceKind, type ArtifactData, type ArtifactSource, type RegisteredSource } from './artifact-source.contract.js';

/** `upload`: bytes sent to `PUT /api/artifacts/{id}/data`, kept in the data dir (immutable once stored). */
@Injectable()
@ArtifactSourceKind('upload')
export class UploadSource implements ArtifactSource {
  constructor(private readonly blobs: BlobStore) {}

  register(): Promise<RegisteredSource> {
    return Promise.resolve({ location: null, byteSize: null, checksum: null });
  }

  async open(artifact: ArtifactEntity): Promise<ArtifactData> {
    if (artifact.sourceLocation === null) throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no data yet`);
    const stream = await this.blobs.openChecked(artifact.sourceLocation);
    return { stream, ...(artifact.byteSize === null ? {} : { size: artifact.byteSize }) };
  }
}
