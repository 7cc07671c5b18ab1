import { inTransaction, write } from '../database/transaction.runner.js';
import type { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { ArtifactEntity } from './entities/artifact.entity.js';
import { CatalogEntity } from './entities/catalog.entity.js';
import { ContractOfferEntity } from './entities/contract-offer.entity.js';
import { RepresentationEntity } from './entities/representation.entity.js';
import { ResourceEntity } from './entities/resource.entity.js';
import type { CatalogTree } from './infomodel.mapper.js';
import type { Page } from '../common/page.js';

export type { Page } from '../common/page.js';

type Identified = ObjectLiteral & { id: string; iri: string; created: string };

/** The few queries every catalog table needs. */
export class Store<T extends Identified> {
  constructor(
    private readonly manager: EntityManager,
    private readonly target: EntityTarget<T>,
  ) {}

  findById(id: string): Promise<T | null> {
    return this.manager.findOneBy(this.target, { id } as FindOptionsWhere<T>);
  }

  findByIri(iri: string): Promise<T | null> {
    return this.manager.findOneBy(this.target, { iri } as FindOptionsWhere<T>);
  }

  findBy(where: FindOptionsWhere<T>): Promise<T[]> {
    return this.manager.find(this.target, { where, order: { created: 'ASC', id: 'ASC' } as never });
  }

  async list(where: FindOptionsWhere<T>, page: number, size: number): Promise<Page<T>> {
    const [items, total] = await this.manager.findAndCount(this.target, {
      where,
      order: { created: 'ASC', id: 'ASC' } as never,
      skip: page * size,
      take: size,
    });
    return { items, page, size, total };
  }

  save(entity: T): Promise<T> {
    return write(this.manager, (m) => m.save(this.target, entity));
  }

  async delete(id: string): Promise<void> {
    await write(this.manager, (m) => m.delete(this.target, { id }));
  }
}

/**
 * Catalog persistence. Built on an EntityManager so that `transaction` hands the same API to code that must
 * write several rows atomically (TRUE's nested resource documents).
 */
export class CatalogRepository {
  readonly catalogs: Store<CatalogEntity>;
  readonly resources: Store<ResourceEntity>;
  readonly representations: Store<RepresentationEntity>;
  readonly artifacts: Store<ArtifactEntity>;
  readonly offers: Store<ContractOfferEntity>;

  constructor(private readonly manager: EntityManager) {
    this.catalogs = new Store(manager, CatalogEntity);
    this.resources = new Store(manager, ResourceEntity);
    this.representations = new Store(manager, RepresentationEntity);
    this.artifacts = new Store(manager, ArtifactEntity);
    this.offers = new Store(manager, ContractOfferEntity);
  }

  transaction<R>(work: (repository: CatalogRepository) => Promise<R>): Promise<R> {
    return inTransaction(this.manager, (manager) => work(new CatalogRepository(manager)));
  }

  /** Every catalog with its resources, offers, representations and artifacts: five queries, whatever the size. */
  async loadTrees(): Promise<CatalogTree[]> {
    const catalogs = await this.manager.find(CatalogEntity, { order: { created: 'ASC', id: 'ASC' } });
    const [resources, offers, representations, artifacts] = await Promise.all([
      this.manager.find(ResourceEntity, { order: { created: 'ASC', id: 'ASC' } }),
      this.manager.find(ContractOfferEntity, { order: { created: 'ASC', id: 'ASC' } }),
      this.manager.find(RepresentationEntity, { order: { created: 'ASC', id: 'ASC' } }),
      this.manager.find(ArtifactEntity, { order: { created: 'ASC', id: 'ASC' } }),
    ]);
    const byParent = <T>(rows: T[], key: (row: T) => string): Map<string, T[]> => {
      const map = new Map<string, T[]>();
      for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
      return map;
    };
    const offersOf = byParent(offers, (o) => o.resourceId);
    const repsOf = byParent(representations, (r) => r.resourceId);
    const artifactsOf = byParent(artifacts, (a) => a.representationId);
    const resourcesOf = byParent(resources, (r) => r.catalogId);
    return catalogs.map((catalog) => ({
      catalog,
      resources: (resourcesOf.get(catalog.id) ?? []).map((resource) => ({
        resource,
        offers: offersOf.get(resource.id) ?? [],
        representations: (repsOf.get(resource.id) ?? []).map((representation) => ({
          representation,
          artifacts: artifactsOf.get(representation.id) ?? [],
        })),
      })),
    }));
  }

  /** The source kinds stored artifacts use (the registry checks each has a source). */
  async artifactSourceKinds(): Promise<string[]> {
    const rows = await this.manager
      .createQueryBuilder(ArtifactEntity, 'a')
      .select('DISTINCT a.source_type', 'kind')
      .getRawMany<{ kind: string }>();
    return rows.map((r) => r.kind);
  }

  /** The IRIs of a resource's artifacts (every representation's), oldest first. */
  async artifactIrisOf(resourceId: string): Promise<string[]> {
    const rows = await this.manager
      .createQueryBuilder(ArtifactEntity, 'a')
      .innerJoin(RepresentationEntity, 'rep', 'rep.id = a.representation_id')
      .select('a.iri', 'iri')
      .where('rep.resource_id = :resourceId', { resourceId })
      .orderBy('a.created', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getRawMany<{ iri: string }>();
    return rows.map((r) => r.iri);
  }

  /** Stored files of uploaded artifacts below an element, to remove from disk after its rows are deleted. */
  async uploadedFilesUnder(kind: 'catalog' | 'resource' | 'representation' | 'artifact', id: string): Promise<string[]> {
    const query = this.manager
      .createQueryBuilder(ArtifactEntity, 'a')
      .innerJoin(RepresentationEntity, 'rep', 'rep.id = a.representation_id')
      .innerJoin(ResourceEntity, 'res', 'res.id = rep.resource_id')
      .select('a.source_location', 'location')
      .where('a.source_type = :upload', { upload: 'upload' });
    const column = { catalog: 'res.catalog_id', resource: 'res.id', representation: 'rep.id', artifact: 'a.id' }[kind];
    const rows = await query.andWhere(`${column} = :id`, { id }).getRawMany<{ location: string | null }>();
    return rows.map((r) => r.location).filter((l): l is string => l !== null);
  }
}
