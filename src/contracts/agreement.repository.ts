import type { EntityManager } from 'typeorm';
import { write } from '../database/transaction.runner.js';
import { AgreementEntity } from './entities/agreement.entity.js';

/** Provider-side agreements. */
export class AgreementRepository {
  constructor(private readonly manager: EntityManager) {}

  findByIri(iri: string): Promise<AgreementEntity | null> {
    return this.manager.findOneBy(AgreementEntity, { iri });
  }

  /** The same queries inside a transaction someone else runs (the evidence unit of work). */
  using(manager: EntityManager): AgreementRepository {
    return new AgreementRepository(manager);
  }

  save(agreement: AgreementEntity): Promise<AgreementEntity> {
    return write(this.manager, (m) => m.save(AgreementEntity, agreement));
  }

  list(page: number, size: number): Promise<[AgreementEntity[], number]> {
    return this.manager.findAndCount(AgreementEntity, { order: { created: 'ASC', id: 'ASC' }, skip: page * size, take: size });
  }
}
