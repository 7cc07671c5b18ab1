import { Injectable } from '@nestjs/common';
import { ConnectorError } from '../../common/connector.error.js';
import type { ArtifactEntity } from '../entities/artifact.entity.js';
import { ArtifactSourceKind, type ArtifactData, type ArtifactSource, type RegisteredSource } from './artifact-source.contract.js';

/** `none`: an artifact only described (created through TRUE's management API, whose data lives in a TRUE data app). */
@Injectable()
@ArtifactSourceKind('none')
export class DescribedOnlySource implements ArtifactSource {
  register(): Promise<RegisteredSource> {
    return Promise.resolve({ location: null, byteSize: null, checksum: null });
  }

  open(artifact: ArtifactEntity): Promise<ArtifactData> {
    return Promise.reject(new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no data source`));
  }
}
