import { Injectable } from '@nestjs/common';
import { stat } from 'node:fs/promises';
import { ConnectorError } from '../../common/connector.error.js';
import { BlobStore } from '../../database/blob.store.js';
import type { ArtifactEntity } from '../entities/artifact.entity.js';
import { ArtifactSourceKind, type ArtifactData, type ArtifactSource, type RegisteredSource } from './artifact-source.contract.js';
import { FileSourceGuard } from './file-source.guard.js';

/** `file`: a file on this node, inside FEP_FILE_SOURCE_DIRS (checked at registration and again at every read). */
@Injectable()
@ArtifactSourceKind('file')
export class FileSource implements ArtifactSource {
  constructor(
    private readonly blobs: BlobStore,
    private readonly guard: FileSourceGuard,
  ) {}

  async register(location: string | null): Promise<RegisteredSource> {
    const real = await this.guard.check(location ?? '');
    const { size, sha256 } = await this.blobs.describe(real);
    return { location, byteSize: size, checksum: sha256 };
  }

  async open(artifact: ArtifactEntity): Promise<ArtifactData> {
    if (artifact.sourceLocation === null) throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no file`);
    // The directories may have been narrowed, or a link swapped, since registration.
    const real = await this.guard.check(artifact.sourceLocation).catch((error: unknown) => {
      throw new ConnectorError(
        'NOT_FOUND',
        `the file of artifact ${artifact.iri} may no longer be served: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    const stream = await this.blobs.openChecked(real);
    // The size now, not at registration: the file may have changed.
    return { stream, size: (await stat(real)).size };
  }
}
