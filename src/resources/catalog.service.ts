import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import { BlobStore } from '../database/blob.store.js';
import { CatalogRepository, type Page, type Store } from './catalog.repository.js';
import type { CreateCatalogDto, UpdateCatalogDto } from './dto/catalog.dto.js';
import type { CreateRepresentationDto, UpdateRepresentationDto } from './dto/representation.dto.js';
import type { CreateResourceDto, UpdateResourceDto } from './dto/resource.dto.js';
import type { CatalogEntity } from './entities/catalog.entity.js';
import type { RepresentationEntity } from './entities/representation.entity.js';
import type { ResourceEntity } from './entities/resource.entity.js';
import { newIdentity } from './iri.factory.js';
import { representationFits, representationTypeFor } from '../ids/infomodel/vocabulary.js';

/** Loads an element or fails with NOT_FOUND naming it. */
export async function mustFind<T extends { id: string; iri: string; created: string }>(
  store: Store<T>,
  what: string,
  id: string,
): Promise<T> {
  const found = await store.findById(id);
  if (found === null) throw ConnectorError.notFound(what, id);
  return found;
}

/** A parent referenced from a request body: a missing one is the client's mistake in that field. */
export async function mustReference<T extends { id: string; iri: string; created: string }>(
  store: Store<T>,
  field: string,
  id: string,
): Promise<T> {
  const found = await store.findById(id);
  if (found === null) throw ConnectorError.badInput(field, `no element with id ${id}`);
  return found;
}

/** The information model ties the representation class to the resource class; a mismatch is the client's. */
export function assertFits(resourceType: string, representationType: string): void {
  if (!representationFits(resourceType, representationType)) {
    throw ConnectorError.badInput(
      'type',
      `a ${resourceType} needs representations of class ${representationTypeFor(resourceType)}, not ${representationType}`,
    );
  }
}

/** Catalogs, resources and representations: the descriptive part of the catalog. */
@Injectable()
export class CatalogService {
  constructor(
    private readonly repository: CatalogRepository,
    private readonly blobs: BlobStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  private stamps(): { created: string; modified: string } {
    const now = this.clock.now().toISOString();
    return { created: now, modified: now };
  }

  /** The catalog new resources go to when none is named; created on first need. */
  async defaultCatalog(): Promise<CatalogEntity> {
    const [first] = (await this.repository.catalogs.list({}, 0, 1)).items;
    return first ?? this.createCatalog({ title: 'Default catalog' });
  }

  createCatalog(dto: CreateCatalogDto): Promise<CatalogEntity> {
    return this.repository.catalogs.save({
      ...newIdentity('resourceCatalog'),
      title: dto.title ?? null,
      description: dto.description ?? null,
      ...this.stamps(),
    });
  }
  listCatalogs(page: number, size: number): Promise<Page<CatalogEntity>> {
    return this.repository.catalogs.list({}, page, size);
  }
  getCatalog(id: string): Promise<CatalogEntity> {
    return mustFind(this.repository.catalogs, 'catalog', id);
  }
  async updateCatalog(id: string, dto: UpdateCatalogDto): Promise<CatalogEntity> {
    const catalog = await this.getCatalog(id);
    return this.repository.catalogs.save({ ...catalog, ...dto, modified: this.clock.now().toISOString() });
  }
  async removeCatalog(id: string): Promise<void> {
    await this.getCatalog(id);
    await this.removeWithFiles('catalog', id, () => this.repository.catalogs.delete(id));
  }

  async createResource(dto: CreateResourceDto): Promise<ResourceEntity> {
    const catalog =
      dto.catalogId === undefined ? await this.defaultCatalog() : await mustReference(this.repository.catalogs, 'catalogId', dto.catalogId);
    return this.repository.resources.save({
      ...newIdentity('dataResource'),
      catalogId: catalog.id,
      type: dto.type ?? 'ids:DataResource',
      title: dto.title,
      description: dto.description ?? null,
      keywords: dto.keywords ?? [],
      languages: dto.languages ?? [],
      publisher: dto.publisher ?? null,
      sovereign: dto.sovereign ?? null,
      license: dto.license ?? null,
      version: dto.version ?? null,
      ...this.stamps(),
    });
  }
  listResources(catalogId: string | undefined, page: number, size: number): Promise<Page<ResourceEntity>> {
    return this.repository.resources.list(catalogId === undefined ? {} : { catalogId }, page, size);
  }
  getResource(id: string): Promise<ResourceEntity> {
    return mustFind(this.repository.resources, 'resource', id);
  }
  async updateResource(id: string, dto: UpdateResourceDto): Promise<ResourceEntity> {
    const resource = await this.getResource(id);
    return this.repository.resources.save({ ...resource, ...dto, modified: this.clock.now().toISOString() });
  }
  async removeResource(id: string): Promise<void> {
    await this.getResource(id);
    await this.removeWithFiles('resource', id, () => this.repository.resources.delete(id));
  }

  async createRepresentation(dto: CreateRepresentationDto): Promise<RepresentationEntity> {
    const resource = await mustReference(this.repository.resources, 'resourceId', dto.resourceId);
    const type = dto.type ?? representationTypeFor(resource.type);
    assertFits(resource.type, type);
    return this.repository.representations.save({
      ...newIdentity('representation'),
      resourceId: dto.resourceId,
      type,
      mediaType: dto.mediaType ?? null,
      language: dto.language ?? null,
      ...this.stamps(),
    });
  }
  listRepresentations(resourceId: string | undefined, page: number, size: number): Promise<Page<RepresentationEntity>> {
    return this.repository.representations.list(resourceId === undefined ? {} : { resourceId }, page, size);
  }
  getRepresentation(id: string): Promise<RepresentationEntity> {
    return mustFind(this.repository.representations, 'representation', id);
  }
  async updateRepresentation(id: string, dto: UpdateRepresentationDto): Promise<RepresentationEntity> {
    const representation = await this.getRepresentation(id);
    if (dto.type !== undefined) assertFits((await this.getResource(representation.resourceId)).type, dto.type);
    return this.repository.representations.save({ ...representation, ...dto, modified: this.clock.now().toISOString() });
  }
  async removeRepresentation(id: string): Promise<void> {
    await this.getRepresentation(id);
    await this.removeWithFiles('representation', id, () => this.repository.representations.delete(id));
  }

  /** Rows go first (cascading in the database); stored uploads below them are removed from disk after. */
  async removeWithFiles(
    kind: 'catalog' | 'resource' | 'representation' | 'artifact',
    id: string,
    remove: () => Promise<void>,
  ): Promise<void> {
    const files = await this.repository.uploadedFilesUnder(kind, id);
    await remove();
    await Promise.all(files.map((file) => this.blobs.remove(file)));
  }
}
