import { Inject, Injectable } from '@nestjs/common';
import { ConnectorError } from '../../common/connector.error.js';
import type { ArtifactEntity } from '../entities/artifact.entity.js';
import { ArtifactSourceKind, type ArtifactData, type ArtifactSource, type RegisteredSource } from './artifact-source.contract.js';
import type { HttpFetch, HttpResponse } from '../../common/http/http.client.js';

/** Injection token of the fetch HTTP sources use (trusting FEP_TRUSTSTORE, timing out on connect and on a stall). */
export const SOURCE_FETCH = Symbol('SOURCE_FETCH');

/** `http`: a URL fetched each time a consumer asks, streamed through; its checksum is only known once served. */
@Injectable()
@ArtifactSourceKind('http')
export class HttpSource implements ArtifactSource {
  constructor(@Inject(SOURCE_FETCH) private readonly fetchFn: HttpFetch) {}

  register(location: string | null): Promise<RegisteredSource> {
    if (!/^https?:\/\/\S+$/.test(location ?? '')) {
      throw ConnectorError.badInput('sourceLocation', 'must be an http(s) URL when sourceType is http');
    }
    return Promise.resolve({ location, byteSize: null, checksum: null });
  }

  async open(artifact: ArtifactEntity): Promise<ArtifactData> {
    const url = artifact.sourceLocation;
    if (url === null) throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri} has no URL`);
    let response: HttpResponse;
    try {
      response = await this.fetchFn(url);
    } catch (error) {
      throw new ConnectorError('REMOTE_ERROR', `the data source ${url} of artifact ${artifact.iri} is unreachable: ${String(error)}`);
    }
    if (!response.ok) {
      response.body.resume();
      throw new ConnectorError('REMOTE_ERROR', `the data source ${url} of artifact ${artifact.iri} answered HTTP ${response.status}`);
    }
    const length = Number(response.headers.get('content-length'));
    const mediaType = response.headers.get('content-type');
    return {
      stream: response.body,
      ...(Number.isFinite(length) && length > 0 ? { size: length } : {}),
      ...(mediaType === null ? {} : { mediaType }),
    };
  }
}
