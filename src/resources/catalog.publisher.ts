import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import { BlobStore } from '../database/blob.store.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { CatalogRepository } from './catalog.repository.js';
import { assertFits, CatalogService } from './catalog.service.js';
import type { ArtifactEntity } from './entities/artifact.entity.js';
import type { ResourceEntity } from './entities/resource.entity.js';

export interface PublishedArtifact {
  iri: string;
  fileName?: string | null;
  byteSize?: number | null;
  creationDate?: string | null;
  /** Where its bytes come from; omitted: an existing artifact keeps its source, a new one is described only. */
  source?: { kind: string; location: string | null };
}

export interface PublishedRepresentation {
  iri: string;
  type: string;
  mediaType: string | null;
  language: string | null;
  artifacts: PublishedArtifact[];
}

export interface PublishedResource {
  iri: string;
  type: string;
  title: string;
  description: string | null;
  keywords: string[];
  languages: string[];
  publisher: string | null;
  sovereign: string | null;
  license: string | null;
  version: string | null;
  representations: PublishedRepresentation[];
  /** Prepared offers (shape-checked, enforceable, with `@id`s): see `prepareOffer`. */
  offers: JsonLd[];
}

export interface PublishOptions {
  /** The catalog (IRI) it goes to; the default catalog when omitted. */
  catalogIri?: string;
  /** `create` refuses an existing IRI (409); `replace` and `upsert` write it with everything below it. */
  mode: 'create' | 'replace' | 'upsert';
  /** Keep the resource's stored offers when it exists already (a data app's output: the admin may have changed them). */
  keepOffers?: boolean;
}

/**
 * The one way any component creates or updates a resource with its representations, artifacts and offers,
 * addressed by IRI, in one transaction: TRUE's management API and the data-app platform both publish through it.
 * A write replaces the resource with everything below it; an artifact keeps its row, data source and bytes when
 * its IRI stays (also when it moves to another representation), and uploaded bytes an update drops are removed
 * once the transaction has committed.
 */
@Injectable()
export class CatalogPublisher {
  constructor(
    private readonly repository: CatalogRepository,
    private readonly catalog: CatalogService,
    private readonly blobs: BlobStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async publish(draft: PublishedResource, options: PublishOptions): Promise<ResourceEntity> {
    const catalog =
      options.catalogIri === undefined ? await this.catalog.defaultCatalog() : await this.repository.catalogs.findByIri(options.catalogIri);
    if (catalog === null) throw ConnectorError.badInput('catalog', `no resource catalog ${options.catalogIri ?? ''}`);
    for (const r of draft.representations) assertFits(draft.type, r.type);
    const { resource, orphans } = await this.repository.transaction(async (tx) => {
      const existing = await tx.resources.findByIri(draft.iri);
      if (existing !== null && options.mode === 'create') {
        throw new ConnectorError('CONFLICT', `resource ${draft.iri} already exists; use PUT to replace it`);
      }
      const keep = existing === null ? new Map<string, ArtifactEntity>() : await this.artifactsBelow(tx, existing.id);
      const keptOffers = existing !== null && options.keepOffers ? await tx.offers.findBy({ resourceId: existing.id }) : [];
      if (existing !== null) await tx.resources.delete(existing.id);
      const now = this.now();
      const { representations, offers, ...fields } = draft;
      const saved = await tx.resources.save({
        ...fields,
        id: existing?.id ?? randomUUID(),
        catalogId: catalog.id,
        created: existing?.created ?? now,
        modified: now,
      });
      for (const representation of representations) await this.saveRepresentation(tx, saved.id, representation, keep);
      if (keptOffers.length > 0) for (const offer of keptOffers) await tx.offers.save({ ...offer, resourceId: saved.id });
      else for (const offer of offers) await this.saveOffer(tx, saved.id, offer);
      return { resource: saved, orphans: this.unused(keep, representations) };
    });
    await Promise.all(orphans.map((f) => this.blobs.remove(f)));
    return resource;
  }

  /** One representation (with its artifacts) replaced under an existing resource. */
  async publishRepresentation(resourceIri: string, draft: PublishedRepresentation, mode: 'create' | 'replace'): Promise<void> {
    const orphans = await this.repository.transaction(async (tx) => {
      const resource = await tx.resources.findByIri(resourceIri);
      if (resource === null) throw ConnectorError.badInput('resource', `no offered resource ${resourceIri}`);
      assertFits(resource.type, draft.type);
      const existing = await tx.representations.findByIri(draft.iri);
      if (existing !== null && mode === 'create') {
        throw new ConnectorError('CONFLICT', `representation ${draft.iri} already exists; use PUT to replace it`);
      }
      const keep = new Map((await tx.artifacts.findBy({ representationId: existing?.id ?? '' })).map((a) => [a.iri, a]));
      if (existing !== null) await tx.representations.delete(existing.id);
      await this.saveRepresentation(tx, resource.id, draft, keep, existing?.id);
      return this.unused(keep, [draft]);
    });
    await Promise.all(orphans.map((f) => this.blobs.remove(f)));
  }

  /** One offer replaced under an existing resource. */
  async publishOffer(resourceIri: string, offer: JsonLd, mode: 'create' | 'replace'): Promise<void> {
    const iri = offer['@id'] as string;
    await this.repository.transaction(async (tx) => {
      const resource = await tx.resources.findByIri(resourceIri);
      if (resource === null) throw ConnectorError.badInput('resource', `no offered resource ${resourceIri}`);
      const existing = await tx.offers.findByIri(iri);
      if (existing !== null && mode === 'create') {
        throw new ConnectorError('CONFLICT', `contract offer ${iri} already exists; use PUT to replace it`);
      }
      if (existing !== null) await tx.offers.delete(existing.id);
      await this.saveOffer(tx, resource.id, offer, existing?.id);
    });
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private async artifactsBelow(tx: CatalogRepository, resourceId: string): Promise<Map<string, ArtifactEntity>> {
    const keep = new Map<string, ArtifactEntity>();
    for (const rep of await tx.representations.findBy({ resourceId })) {
      for (const artifact of await tx.artifacts.findBy({ representationId: rep.id })) keep.set(artifact.iri, artifact);
    }
    return keep;
  }

  private async saveRepresentation(
    tx: CatalogRepository,
    resourceId: string,
    draft: PublishedRepresentation,
    keep: Map<string, ArtifactEntity>,
    id: string = randomUUID(),
  ): Promise<void> {
    const now = this.now();
    const { artifacts, ...fields } = draft;
    await tx.representations.save({ ...fields, id, resourceId, created: now, modified: now });
    for (const artifact of artifacts) {
      // An artifact @id names one artifact: listed under another representation, it moves here with its data
      // (TRUE's management API lets a document re-list an existing artifact; its own Postman flow does so).
      const old = keep.get(artifact.iri) ?? (await tx.artifacts.findByIri(artifact.iri)) ?? undefined;
      await tx.artifacts.save({
        id: old?.id ?? randomUUID(),
        iri: artifact.iri,
        representationId: id,
        fileName: artifact.fileName ?? old?.fileName ?? null,
        byteSize: old?.byteSize ?? artifact.byteSize ?? null,
        checksum: old?.checksum ?? null,
        creationDate: artifact.creationDate ?? old?.creationDate ?? now,
        sourceType: artifact.source?.kind ?? old?.sourceType ?? 'none',
        sourceLocation: artifact.source ? artifact.source.location : (old?.sourceLocation ?? null),
        created: old?.created ?? now,
        modified: now,
      });
    }
  }

  private async saveOffer(tx: CatalogRepository, resourceId: string, document: JsonLd, id: string = randomUUID()): Promise<void> {
    const iri = document['@id'] as string;
    const clash = await tx.offers.findByIri(iri);
    if (clash !== null) throw new ConnectorError('CONFLICT', `contract offer ${iri} already exists`);
    const now = this.now();
    await tx.offers.save({ id, iri, resourceId, document, created: now, modified: now });
  }

  /** Uploaded files of artifacts that a replace dropped. */
  private unused(keep: Map<string, ArtifactEntity>, drafts: PublishedRepresentation[]): string[] {
    const still = new Set(drafts.flatMap((d) => d.artifacts.map((a) => a.iri)));
    return [...keep.values()]
      .filter((a) => !still.has(a.iri) && a.sourceType === 'upload' && a.sourceLocation !== null)
      .map((a) => a.sourceLocation!);
  }
}
