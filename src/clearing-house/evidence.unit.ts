import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { GroupRunner } from '../database/group.runner.js';
import { inTransaction } from '../database/transaction.runner.js';
import { ClearingHouseOutbox } from './clearing-house.outbox.js';
import type { NewRecord } from './clearing-house.records.js';

/** What the action gets inside its unit of work: the transaction, and where its evidence goes. */
export interface Evidence {
  manager: EntityManager;
  /** Clearing-house records that commit (or roll back) with the action; `hold`: complete them later. */
  record: (records: NewRecord[], options?: { hold?: boolean }) => Promise<void>;
}

/**
 * "Do the action and record its evidence": the action's rows and its clearing-house records in one transaction,
 * and the outbox woken once it has committed (the clearing-house failure policy in docs/architecture.md). An
 * agreement, a transfer and a logged use all go through here.
 */
@Injectable()
export class EvidenceUnit {
  /** SQLite: concurrent units of work share one transaction (group commit, each in its savepoint). */
  private readonly group: GroupRunner | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: ClearingHouseOutbox,
  ) {
    this.group = dataSource.options.type === 'sqlite' ? new GroupRunner(dataSource) : undefined;
  }

  /** Whether evidence is kept at all (a clearing house is configured). */
  get recording(): boolean {
    return this.outbox.enabled;
  }

  async run<R>(action: (evidence: Evidence) => Promise<R>): Promise<R> {
    let recorded = false;
    const transaction = <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> =>
      this.group ? this.group.run(work) : inTransaction(this.dataSource.manager, work);
    const result = await transaction((manager) =>
      action({
        manager,
        record: async (records, options) => {
          await this.outbox.write(manager, records, options);
          recorded ||= this.outbox.enabled && records.length > 0;
        },
      }),
    );
    if (recorded) this.outbox.committed();
    return result;
  }
}
