import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ConnectorError } from '../common/connector.error.js';
import { CatalogRepository } from '../resources/catalog.repository.js';
import type { ArtifactEntity } from '../resources/entities/artifact.entity.js';
import { ArtifactSourceKind, type ArtifactData, type ArtifactSource, type RegisteredSource } from '../resources/sources/artifact-source.contract.js';
import type { DataAppOutput } from './data-app.contract.js';
import { DataAppRegistry } from './data-app.registry.js';
import { OutputStore } from './output.store.js';

/**
 * `data-app`: an artifact whose data is an app's output (`<app>/<output>`): a request gets its current state and
 * recent history as JSON (OutputView), decided and recorded like any artifact request.
 */
@Injectable()
@ArtifactSourceKind('data-app')
export class DataAppSource implements ArtifactSource, OnApplicationBootstrap {
  constructor(
    private readonly registry: DataAppRegistry,
    private readonly outputs: OutputStore,
    private readonly catalog: CatalogRepository,
  ) {}

  /** An artifact naming an app or output that no longer exists would fail every request: the boot fails instead. */
  async onApplicationBootstrap(): Promise<void> {
    const dangling = (await this.catalog.artifacts.findBy({ sourceType: 'data-app' })).filter(
      (a) => a.sourceLocation === null || this.resolve(a.sourceLocation) === undefined,
    );
    if (dangling.length > 0) {
      throw new Error(
        `artifacts of kind data-app name outputs no registered data app declares: ${dangling
          .map((a) => `${a.iri} (${a.sourceLocation ?? 'no location'})`)
          .join(', ')}; registered apps: ${this.registry.names().join(', ') || 'none'}`,
      );
    }
  }

  register(location: string | null): Promise<RegisteredSource> {
    if (location === null || this.resolve(location) === undefined) {
      return Promise.reject(
        ConnectorError.badInput('sourceLocation', `must name a data-app output as <app>/<output>; known: ${this.known().join(', ') || 'none'}`),
      );
    }
    return Promise.resolve({ location, byteSize: null, checksum: null });
  }

  async open(artifact: ArtifactEntity): Promise<ArtifactData> {
    const found = artifact.sourceLocation === null ? undefined : this.resolve(artifact.sourceLocation);
    if (found === undefined) throw new ConnectorError('NOT_FOUND', `artifact ${artifact.iri}: no data-app output ${artifact.sourceLocation ?? ''}`);
    const body = Buffer.from(JSON.stringify(await this.outputs.view(found.app, found.output)));
    return { stream: Readable.from([body]), size: body.length, mediaType: 'application/json' };
  }

  private resolve(location: string): { app: string; output: DataAppOutput } | undefined {
    const [app, name, ...rest] = location.split('/');
    if (app === undefined || name === undefined || rest.length > 0) return undefined;
    const output = this.registry.get(app)?.outputs.find((o) => o.name === name);
    return output === undefined ? undefined : { app, output };
  }

  private known(): string[] {
    return this.registry.names().flatMap((app) => this.registry.get(app)!.outputs.map((o) => `${app}/${o.name}`));
  }
}
