import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ConnectorError } from '../../common/connector.error.js';
import { CatalogRepository } from '../catalog.repository.js';
import type { ArtifactEntity } from '../entities/artifact.entity.js';
import { ArtifactSourceKind, type ArtifactData, type ArtifactSource, type RegisteredSource } from './artifact-source.contract.js';

/** The artifact sources by kind; the artifact request path and the admin API ask it, never a switch. */
@Injectable()
export class ArtifactSourceRegistry implements OnModuleInit, OnApplicationBootstrap {
  private readonly sources = new Map<string, ArtifactSource>();
  private readonly logger = new Logger('ArtifactSources');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly repository: CatalogRepository,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: ArtifactSourceKind.KEY })) {
      const kind = this.discovery.getMetadataByDecorator(ArtifactSourceKind, wrapper);
      const instance = wrapper.instance as Partial<ArtifactSource> | undefined;
      if (kind === undefined || typeof instance?.open !== 'function' || typeof instance.register !== 'function') {
        throw new Error(`${wrapper.name} is decorated with @ArtifactSourceKind but is no ArtifactSource`);
      }
      if (this.sources.has(kind)) throw new Error(`two artifact sources for the kind ${kind}: ${wrapper.name} and another`);
      this.sources.set(kind, instance as ArtifactSource);
    }
  }

  /** A stored artifact naming a kind nothing handles would fail on every request: the boot fails instead. */
  async onApplicationBootstrap(): Promise<void> {
    const unknown = (await this.repository.artifactSourceKinds()).filter((kind) => !this.sources.has(kind));
    if (unknown.length > 0) {
      throw new Error(
        `stored artifacts use source kinds no registered source handles: ${unknown.join(', ')} (known: ${this.kinds().join(', ')})`,
      );
    }
    this.logger.log(`artifact sources: ${this.kinds().join(', ')}`);
  }

  kinds(): string[] {
    return [...this.sources.keys()].sort();
  }

  register(kind: string, location: string | null): Promise<RegisteredSource> {
    return this.source(kind).register(location);
  }

  open(artifact: ArtifactEntity): Promise<ArtifactData> {
    return this.source(artifact.sourceType).open(artifact);
  }

  private source(kind: string): ArtifactSource {
    const source = this.sources.get(kind);
    if (source === undefined) {
      throw ConnectorError.badInput('sourceType', `no artifact source of kind ${kind} (known: ${this.kinds().join(', ')})`);
    }
    return source;
  }
}
