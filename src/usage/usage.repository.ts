import type { EntityManager } from 'typeorm';
import { execute, insertRows, insertStatement, select } from '../database/raw.statements.js';
import { write } from '../database/transaction.runner.js';
import type { RowTable } from '../database/write.batcher.js';
import { UsageAgreementEntity } from './entities/usage-agreement.entity.js';
import { UsageCounterEntity } from './entities/usage-counter.entity.js';
import { UsageLogEntity } from './entities/usage-log.entity.js';
import type { Side } from './patterns/usage-pattern.contract.js';

export interface CounterKey {
  side: Side;
  agreementIri: string;
  target: string;
}

/** Usage-log records added by a unit of work (EvidenceUnit): one INSERT for a whole group commit. */
export const USAGE_LOG_ROWS: RowTable<UsageLogEntity> = {
  statement: (manager, rows) => insertStatement(manager, UsageLogEntity, rows),
};

/**
 * Uses already decided, added by a unit of work: without a limit (they cannot be refused) or reserved in memory
 * against one (use.counters.ts), so they need no conditional UPDATE of their own. At the group commit each counter
 * takes all of its batch's uses in one upsert (created on its first use). Counted per key first: PostgreSQL refuses
 * an upsert that touches one row twice.
 */
export const COUNTED_USES: RowTable<CounterKey> = {
  statement: (_manager, keys) => {
    const counts = new Map<string, { key: CounterKey; uses: number }>();
    for (const key of keys) {
      const id = JSON.stringify([key.side, key.agreementIri, key.target]);
      const seen = counts.get(id);
      if (seen === undefined) counts.set(id, { key, uses: 1 });
      else seen.uses++;
    }
    const all = [...counts.values()];
    return {
      sql:
        `INSERT INTO usage_counters (side, agreement_iri, target, uses) VALUES ${all.map(() => '(?, ?, ?, ?)').join(', ')} ` +
        'ON CONFLICT (side, agreement_iri, target) DO UPDATE SET uses = usage_counters.uses + excluded.uses',
      parameters: all.flatMap(({ key, uses }) => [key.side, key.agreementIri, key.target, uses]),
    };
  },
};

/** Counters, the usage log and Platoon-API agreements. */
export class UsageRepository {
  constructor(readonly manager: EntityManager) {}

  /** The same queries inside a transaction someone else runs (the evidence unit of work). */
  using(manager: EntityManager): UsageRepository {
    return new UsageRepository(manager);
  }

  async uses(key: CounterKey): Promise<number> {
    // Read before every counted use: a plain statement (raw.statements.ts).
    const [row] = await select<{ uses: number }>(
      this.manager,
      'SELECT uses FROM usage_counters WHERE side = ? AND agreement_iri = ? AND target = ?',
      [key.side, key.agreementIri, key.target],
    );
    return row === undefined ? 0 : Number(row.uses);
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
    // The hot path of every permitted use: a plain statement (raw.statements.ts), not the query builder.
    const where = 'side = ? AND agreement_iri = ? AND target = ?';
    const parameters = [key.side, key.agreementIri, key.target];
    const changed =
      limit === undefined
        ? await execute(this.manager, `UPDATE usage_counters SET uses = uses + 1 WHERE ${where}`, parameters)
        : await execute(this.manager, `UPDATE usage_counters SET uses = uses + 1 WHERE ${where} AND uses < ?`, [...parameters, limit]);
    return changed === 1;
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

  /** A new row: one plain INSERT (not `save`, which reads the row first, nor `insert`, which reads its defaults back). */
  async log(entry: UsageLogEntity): Promise<UsageLogEntity> {
    await write(this.manager, (m) => insertRows(m, UsageLogEntity, [entry]));
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
