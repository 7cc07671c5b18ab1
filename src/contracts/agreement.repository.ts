import type { EntityManager } from 'typeorm';
import { AgreementEntity } from './entities/agreement.entity.js';

/** Provider-side agreements. */
export class AgreementRepository {
  constructor(private readonly manager: EntityManager) {}

  findByIri(iri: string): Promise<AgreementEntity | null> {
    return this.manager.findOneBy(AgreementEntity, { iri });
  }

  save(agreement: AgreementEntity): Promise<AgreementEntity> {
    return this.manager.save(AgreementEntity, agreement);
  }

  list(page: number, size: number): Promise<[AgreementEntity[], number]> {
    return this.manager.findAndCount(AgreementEntity, { order: { created: 'ASC', id: 'ASC' }, skip: page * size, take: size });
  }
}
