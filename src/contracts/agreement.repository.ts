import type { EntityManager } from 'typeorm';
import { write } from '../database/transaction.runner.js';
import { AgreementEntity } from './entities/agreement.entity.js';

/** Agreements kept in memory at most (the oldest read goes first). */
const CACHED = 2048;

/**
 * Provider-side agreements. What an exchange reads of an agreement (its parties, targets, document, creation) never
 * changes once it is made, so confirmed agreements are kept in memory: one query less per exchange, and safe when
 * instances share a PostgreSQL store (another instance's agreement is read from the store the first time).
 */
export class AgreementRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly cache: Map<string, AgreementEntity> = new Map(),
  ) {}

  async findByIri(iri: string): Promise<AgreementEntity | null> {
    const cached = this.cache.get(iri);
    if (cached !== undefined) return cached;
    const found = await this.manager.findOneBy(AgreementEntity, { iri });
    // Only what is surely committed: a confirmed agreement (its confirmation came after the agreement's transaction),
    // read outside a transaction.
    if (found !== null && found.confirmed && this.manager.queryRunner?.isTransactionActive !== true) {
      if (this.cache.size >= CACHED) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(iri, found);
    }
    return found;
  }

  /** The same queries inside a transaction someone else runs (the evidence unit of work). */
  using(manager: EntityManager): AgreementRepository {
    return new AgreementRepository(manager, this.cache);
  }

  save(agreement: AgreementEntity): Promise<AgreementEntity> {
    // Never cached from a write: it may still roll back. The next read takes it from the store.
    this.cache.delete(agreement.iri);
    return write(this.manager, (m) => m.save(AgreementEntity, agreement));
  }

  list(page: number, size: number): Promise<[AgreementEntity[], number]> {
    return this.manager.findAndCount(AgreementEntity, { order: { created: 'ASC', id: 'ASC' }, skip: page * size, take: size });
  }

  /** The newest agreements first (the live page). */
  latest(count: number): Promise<AgreementEntity[]> {
    return this.manager.find(AgreementEntity, { order: { created: 'DESC', id: 'DESC' }, take: count });
  }
}
