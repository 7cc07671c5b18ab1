import type { EntityManager } from 'typeorm';
import { write } from '../database/transaction.runner.js';
import { UsageAgreementEntity } from './entities/usage-agreement.entity.js';
import { UsageCounterEntity } from './entities/usage-counter.entity.js';
import { UsageLogEntity } from './entities/usage-log.entity.js';
import type { Side } from './patterns/usage-pattern.contract.js';

export interface CounterKey {
  side: Side;
  agreementIri: string;
  target: string;
}

/** Counters, the usage log and Platoon-API agreements. */
export class UsageRepository {
  constructor(readonly manager: EntityManager) {}

  /** The same queries inside a transaction someone else runs (the evidence unit of work). */
  using(manager: EntityManager): UsageRepository {
    return new UsageRepository(manager);
  }

  async uses(key: CounterKey): Promise<number> {
    return (await this.manager.findOneBy(UsageCounterEntity, key))?.uses ?? 0;
  }

  /**
   * Claims one use: a single conditional UPDATE, so concurrent claims on SQLite or PostgreSQL never pass the
   * limit (READ COMMITTED re-checks `uses < limit` on the locked row). Without a limit the use is just counted.
   */
  async claim(key: CounterKey, limit: number | undefined): Promise<boolean> {
    // One statement once the counter exists (every use after the first); the first use creates it and tries again.
    // (A spent limit costs three statements; it is the rare path.)
    if (await this.increment(key, limit)) return true;
    await this.manager
      .createQueryBuilder()
      .insert()
      .into(UsageCounterEntity)
      .values({ ...key, uses: 0 })
      .orIgnore()
      .execute();
    return this.increment(key, limit);
  }

  private async increment(key: CounterKey, limit: number | undefined): Promise<boolean> {
    const query = this.manager
      .createQueryBuilder()
      .update(UsageCounterEntity)
      .set({ uses: () => 'uses + 1' })
      .where('side = :side AND agreement_iri = :agreementIri AND target = :target', key);
    if (limit !== undefined) query.andWhere('uses < :limit', { limit });
    const result = await query.execute();
    return result.affected === 1;
  }

  /** Gives a claimed use back (its duty failed after the claim). */
  async release(key: CounterKey): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .update(UsageCounterEntity)
      .set({ uses: () => 'uses - 1' })
      .where('side = :side AND agreement_iri = :agreementIri AND target = :target AND uses > 0', key)
      .execute();
  }

  /** A new row: one INSERT (not `save`, which reads the row first, nor `insert`, which reads its defaults back). */
  async log(entry: UsageLogEntity): Promise<UsageLogEntity> {
    await write(this.manager, (m) => m.createQueryBuilder().insert().into(UsageLogEntity).values(entry).updateEntity(false).execute());
    return entry;
  }

  async unlog(id: string): Promise<void> {
    await write(this.manager, (m) => m.delete(UsageLogEntity, { id }));
  }

  listLog(agreementIri: string | undefined, page: number, size: number): Promise<[UsageLogEntity[], number]> {
    return this.manager.findAndCount(UsageLogEntity, {
      where: agreementIri === undefined ? {} : { agreementIri },
      order: { at: 'ASC', id: 'ASC' },
      skip: page * size,
      take: size,
    });
  }

  findAgreement(iri: string): Promise<UsageAgreementEntity | null> {
    return this.manager.findOneBy(UsageAgreementEntity, { iri });
  }

  saveAgreement(agreement: UsageAgreementEntity): Promise<UsageAgreementEntity> {
    return write(this.manager, (m) => m.save(UsageAgreementEntity, agreement));
  }
}
