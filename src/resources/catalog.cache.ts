import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntitySubscriberInterface, type InsertEvent, type RemoveEvent, type UpdateEvent } from 'typeorm';
import { ArtifactEntity } from './entities/artifact.entity.js';
import { RepresentationEntity } from './entities/representation.entity.js';

const WATCHED = new Set<unknown>([ArtifactEntity, RepresentationEntity]);
/** Entries kept at most per map (the oldest goes first). */
const LIMIT = 4096;

/**
 * Artifacts by IRI and representations by id, as every artifact request reads them, kept in memory on SQLite (one
 * instance owns the store) and dropped whole on any write to either table, whatever path made it (a TypeORM
 * subscriber sees them all, inside or outside transactions). A shared PostgreSQL store has other writers: no cache.
 */
@Injectable()
export class CatalogCache implements EntitySubscriberInterface, OnModuleInit {
  readonly enabled: boolean;
  private readonly artifacts = new Map<string, ArtifactEntity>();
  private readonly representations = new Map<string, RepresentationEntity>();
  /** Bumped by every write: a read that started before it must not fill the cache with what it found. */
  private generation = 0;

  constructor(private readonly dataSource: DataSource) {
    this.enabled = dataSource.options.type === 'sqlite';
  }

  onModuleInit(): void {
    if (this.enabled) this.dataSource.subscribers.push(this);
  }

  afterInsert(event: InsertEvent<unknown>): void {
    this.changed(event.metadata.target);
  }
  afterUpdate(event: UpdateEvent<unknown>): void {
    this.changed(event.metadata.target);
  }
  afterRemove(event: RemoveEvent<unknown>): void {
    this.changed(event.metadata.target);
  }

  /** On SQLite a read may see another transaction's rows before it commits: a rollback drops what was cached. */
  afterTransactionRollback(): void {
    this.clear();
  }

  private changed(target: unknown): void {
    if (WATCHED.has(target)) this.clear();
  }

  private clear(): void {
    this.generation++;
    this.artifacts.clear();
    this.representations.clear();
  }

  async artifact(iri: string, load: () => Promise<ArtifactEntity | null>): Promise<ArtifactEntity | null> {
    return this.through(this.artifacts, iri, load);
  }

  async representation(id: string, load: () => Promise<RepresentationEntity | null>): Promise<RepresentationEntity | null> {
    return this.through(this.representations, id, load);
  }

  private async through<T>(map: Map<string, T>, key: string, load: () => Promise<T | null>): Promise<T | null> {
    if (!this.enabled) return load();
    const hit = map.get(key);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const found = await load();
    // Only rows read with no write in between, and only outside a transaction someone might still roll back.
    if (found !== null && generation === this.generation && this.dataSource.manager.queryRunner?.isTransactionActive !== true) {
      if (map.size >= LIMIT) map.delete(map.keys().next().value as string);
      map.set(key, found);
    }
    return found;
  }
}
