import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WriteBatcher, type RowSink } from '../database/write.batcher.js';
import { ClearingHouseOutbox } from './clearing-house.outbox.js';
import type { NewRecord } from './clearing-house.records.js';

/** What the action gets inside its unit of work: the transaction, and where its evidence goes. */
export interface Evidence {
  manager: EntityManager;
  /** New rows of the action (a usage-log record): they commit with it, many actions' rows in one INSERT. */
  rows: RowSink;
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
  constructor(
    /** Concurrent units of work share one transaction on SQLite (group commit); `action` may therefore run twice. */
    private readonly batcher: WriteBatcher,
    private readonly outbox: ClearingHouseOutbox,
  ) {}

  /** Whether evidence is kept at all (a clearing house is configured). */
  get recording(): boolean {
    return this.outbox.enabled;
  }

  /**
   * An action that only adds rows (a use without a limit, with no clearing house configured): no transaction is
   * open while it runs, and a batch of such goes to SQLite in one call.
   */
  rowsOnly<R>(action: (rows: RowSink) => R): Promise<R> {
    return this.batcher.rows(action);
  }

  /** `action` writes only through `evidence` (it may run again if a unit it was batched with failed). */
  async run<R>(action: (evidence: Evidence) => Promise<R>): Promise<R> {
    let recorded = false;
    const result = await this.batcher.unit((manager, rows) =>
      action({
        manager,
        rows,
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
