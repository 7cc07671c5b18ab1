import { LessThanOrEqual, type EntityManager } from 'typeorm';
import { write } from '../database/transaction.runner.js';
import { ConsumerAgreementEntity } from './entities/consumer-agreement.entity.js';
import { ReceivedArtifactEntity } from './entities/received-artifact.entity.js';

/** Consumer-side agreements and received artifacts. */
export class ConsumerRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The same queries inside a transaction someone else runs (the evidence unit of work). */
  using(manager: EntityManager): ConsumerRepository {
    return new ConsumerRepository(manager);
  }

  saveAgreement(agreement: ConsumerAgreementEntity): Promise<ConsumerAgreementEntity> {
    return write(this.manager, (m) => m.save(ConsumerAgreementEntity, agreement));
  }
  findAgreement(iri: string): Promise<ConsumerAgreementEntity | null> {
    return this.manager.findOneBy(ConsumerAgreementEntity, { iri });
  }
  latestAgreements(count: number): Promise<ConsumerAgreementEntity[]> {
    return this.manager.find(ConsumerAgreementEntity, { order: { created: 'DESC', id: 'DESC' }, take: count });
  }
  listAgreements(page: number, size: number): Promise<[ConsumerAgreementEntity[], number]> {
    return this.manager.findAndCount(ConsumerAgreementEntity, { order: { created: 'ASC', id: 'ASC' }, skip: page * size, take: size });
  }
  saveArtifact(artifact: ReceivedArtifactEntity): Promise<ReceivedArtifactEntity> {
    return write(this.manager, (m) => m.save(ReceivedArtifactEntity, artifact));
  }
  findArtifact(id: string): Promise<ReceivedArtifactEntity | null> {
    return this.manager.findOneBy(ReceivedArtifactEntity, { id });
  }
  deleteArtifact(id: string): Promise<unknown> {
    return write(this.manager, (m) => m.delete(ReceivedArtifactEntity, { id }));
  }
  findExpired(now: string): Promise<ReceivedArtifactEntity[]> {
    return this.manager.findBy(ReceivedArtifactEntity, { deleteAt: LessThanOrEqual(now) });
  }
  listArtifacts(page: number, size: number): Promise<[ReceivedArtifactEntity[], number]> {
    return this.manager.findAndCount(ReceivedArtifactEntity, { order: { received: 'ASC', id: 'ASC' }, skip: page * size, take: size });
  }
}
