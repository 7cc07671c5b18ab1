import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { BlobStore } from './blob.store.js';
import { CatalogRepository } from './catalog.repository.js';
import { assertFits, CatalogService } from './catalog.service.js';
import { prepareOffer } from './contract-offer.service.js';
import { UsageEnforcer } from '../usage/usage.enforcer.js';
import type { ArtifactEntity } from './entities/artifact.entity.js';
import { parseRepresentation, parseResource, type RepresentationDraft } from './infomodel.parser.js';

type Mode = 'create' | 'replace';

/**
 * TRUE Connector's self-description management API semantics: elements are addressed by IRI, bodies are
 * infomodel JSON-LD with nested children, and a write replaces the element with everything below it, in one
 * transaction. Artifacts keep their data source across a replace when their IRI stays.
 */
@Injectable()
export class TrueManagementService {
  constructor(
    private readonly repository: CatalogRepository,
    private readonly catalog: CatalogService,
    private readonly blobs: BlobStore,
    private readonly enforcer: UsageEnforcer,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async writeResource(catalogIri: string | undefined, body: unknown, mode: Mode): Promise<void> {
    const draft = parseResource(body);
    const catalog = catalogIri === undefined ? await this.catalog.defaultCatalog() : await this.repository.catalogs.findByIri(catalogIri);
    if (catalog === null) throw ConnectorError.badInput('catalog', `no resource catalog ${catalogIri}`);
    for (const r of draft.representations) assertFits(draft.type, r.type);
    // TRUE's API is lenient: a rule without target covers the resource's artifacts when it has some.
    const artifacts = draft.representations.flatMap((r) => r.artifacts.map((a) => a.iri));
    const offers = draft.offers.map((o, i) => prepareOffer(o, `body["ids:contractOffer"][${i}]`, this.enforcer, { artifacts, whenNoArtifact: 'keep' }));
    const orphans = await this.repository.transaction(async (tx) => {
      const existing = await tx.resources.findByIri(draft.iri);
      if (existing !== null && mode === 'create') throw new ConnectorError('CONFLICT', `resource ${draft.iri} already exists; use PUT to replace it`);
      const keep = existing === null ? new Map<string, ArtifactEntity>() : await this.artifactsBelow(tx, existing.id);
      if (existing !== null) await tx.resources.delete(existing.id);
      const now = this.now();
      const id = existing?.id ?? randomUUID();
      const { representations, offers: _offers, ...fields } = draft;
      await tx.resources.save({ ...fields, id, catalogId: catalog.id, created: existing?.created ?? now, modified: now });
      for (const representation of representations) await this.saveRepresentation(tx, id, representation, keep);
      for (const offer of offers) await this.saveOffer(tx, id, offer);
      return this.unused(keep, representations);
    });
    await this.removeFiles(orphans);
  }

  async writeRepresentation(resourceIri: string, body: unknown, mode: Mode): Promise<void> {
    const draft = parseRepresentation(body);
    const orphans = await this.repository.transaction(async (tx) => {
      const resource = await tx.resources.findByIri(resourceIri);
      if (resource === null) throw ConnectorError.badInput('resource', `no offered resource ${resourceIri}`);
      assertFits(resource.type, draft.type);
      const existing = await tx.representations.findByIri(draft.iri);
      if (existing !== null && mode === 'create') throw new ConnectorError('CONFLICT', `representation ${draft.iri} already exists; use PUT to replace it`);
      const keep = new Map((await tx.artifacts.findBy({ representationId: existing?.id ?? '' })).map((a) => [a.iri, a]));
      if (existing !== null) await tx.representations.delete(existing.id);
      await this.saveRepresentation(tx, resource.id, draft, keep, existing?.id);
      return this.unused(keep, [draft]);
    });
    await this.removeFiles(orphans);
  }

  async writeOffer(resourceIri: string, body: unknown, mode: Mode): Promise<void> {
    const target = await this.repository.resources.findByIri(resourceIri);
    const offer = prepareOffer(body, 'body', this.enforcer, { artifacts: target === null ? [] : await this.repository.artifactIrisOf(target.id), whenNoArtifact: 'keep' });
    const iri = offer['@id'] as string;
    await this.repository.transaction(async (tx) => {
      const resource = await tx.resources.findByIri(resourceIri);
      if (resource === null) throw ConnectorError.badInput('resource', `no offered resource ${resourceIri}`);
      const existing = await tx.offers.findByIri(iri);
      if (existing !== null && mode === 'create') throw new ConnectorError('CONFLICT', `contract offer ${iri} already exists; use PUT to replace it`);
      if (existing !== null) await tx.offers.delete(existing.id);
      await this.saveOffer(tx, resource.id, offer, existing?.id);
    });
  }

  async remove(kind: 'resource' | 'representation' | 'offer', iri: string): Promise<void> {
    const store = { resource: this.repository.resources, representation: this.repository.representations, offer: this.repository.offers }[kind];
    const found = await store.findByIri(iri);
    if (found === null) throw new ConnectorError('NOT_FOUND', `no ${kind} ${iri}`);
    if (kind === 'offer') return store.delete(found.id);
    return this.catalog.removeWithFiles(kind, found.id, () => store.delete(found.id));
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

  private async saveRepresentation(tx: CatalogRepository, resourceId: string, draft: RepresentationDraft, keep: Map<string, ArtifactEntity>, id: string = randomUUID()): Promise<void> {
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
        byteSize: old?.byteSize ?? artifact.byteSize,
        checksum: old?.checksum ?? null,
        creationDate: artifact.creationDate ?? old?.creationDate ?? now,
        sourceType: old?.sourceType ?? 'none',
        sourceLocation: old?.sourceLocation ?? null,
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
  private unused(keep: Map<string, ArtifactEntity>, drafts: RepresentationDraft[]): string[] {
    const still = new Set(drafts.flatMap((d) => d.artifacts.map((a) => a.iri)));
    return [...keep.values()].filter((a) => !still.has(a.iri) && a.sourceType === 'upload' && a.sourceLocation !== null).map((a) => a.sourceLocation!);
  }

  private async removeFiles(files: string[]): Promise<void> {
    await Promise.all(files.map((f) => this.blobs.remove(f)));
  }
}
