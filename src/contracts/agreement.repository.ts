import type { EntityManager } from 'typeorm';
import { inTransaction, write } from '../database/transaction.runner.js';
import { AgreementEntity } from './entities/agreement.entity.js';

/** Provider-side agreements. */
export class AgreementRepository {
  constructor(private readonly manager: EntityManager) {}

  findByIri(iri: string): Promise<AgreementEntity | null> {
    return this.manager.findOneBy(AgreementEntity, { iri });
  }

  /** Runs `work` in one transaction; `manager` is for other writes that must commit with it (the outbox). */
  transaction<R>(work: (repository: AgreementRepository, manager: EntityManager) => Promise<R>): Promise<R> {
    return inTransaction(this.manager, (manager) => work(new AgreementRepository(manager), manager));
  }

  save(agreement: AgreementEntity): Promise<AgreementEntity> {
    return write(this.manager, (m) => m.save(AgreementEntity, agreement));
  }

  list(page: number, size: number): Promise<[AgreementEntity[], number]> {
    return this.manager.findAndCount(AgreementEntity, { order: { created: 'ASC', id: 'ASC' }, skip: page * size, take: size });
  }
}
