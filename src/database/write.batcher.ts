import type { DataSource, EntityManager } from 'typeorm';
import { BatchQueue } from './batch.queue.js';
import { commitAll, runAll, type Statement } from './raw.statements.js';
import { inTransaction } from './transaction.runner.js';

/** Rows of one table that many concurrent requests append (audit rows): inserted together, one statement a batch. */
export interface RowTable<T> {
  /** The statement that writes `rows` (never empty). */
  statement(manager: EntityManager, rows: T[]): Statement;
}

/** Rows a unit of work adds: they commit with it, in the batch's one INSERT per table. */
export interface RowSink {
  append<T>(table: RowTable<T>, row: T): void;
}

/**
 * Rows collected now and written later in someone else's entry (an exchange's use, added to its audit row's
 * entry): `into` hands them to that entry's sink, again if a failed batch makes the entry run a second time.
 */
export class PendingRows implements RowSink {
  private readonly rows: { table: RowTable<unknown>; row: unknown }[] = [];
  private readonly listeners: ((committed: boolean) => void)[] = [];
  private outcome: boolean | undefined;

  append<T>(table: RowTable<T>, row: T): void {
    this.rows.push({ table, row });
  }

  /** `listener` is told once whether the rows were committed (a reservation made for them is then kept or given back). */
  onSettled(listener: (committed: boolean) => void): void {
    if (this.outcome === undefined) this.listeners.push(listener);
    else listener(this.outcome);
  }

  /** The rows' entry committed (true) or failed for good (false); only the first call counts. */
  settle(committed: boolean): void {
    if (this.outcome !== undefined) return;
    this.outcome = committed;
    for (const listener of this.listeners.splice(0)) listener(committed);
  }

  /** They will not be written. */
  discard(): void {
    this.settle(false);
  }

  get size(): number {
    return this.rows.length;
  }

  into(sink: RowSink): void {
    for (const { table, row } of this.rows) sink.append(table, row);
  }
}

/** A unit of work: its statements through `manager`, its new rows through `rows`. */
export type UnitWork<R> = (manager: EntityManager, rows: RowSink) => Promise<R>;

/** Work that only adds rows: no statement of its own, so no transaction needs to be open while it runs. */
export type RowsWork<R> = (rows: RowSink) => R;

type Entry = { resolve: (value: unknown) => void; reject: (error: unknown) => void } & (
  { kind: 'unit'; work: UnitWork<unknown> } | { kind: 'rows'; work: RowsWork<unknown> }
);

/** The rows of one transaction, by table. */
class Tables implements RowSink {
  private readonly rows = new Map<RowTable<unknown>, unknown[]>();

  append<T>(table: RowTable<T>, row: T): void {
    const rows = this.rows.get(table);
    if (rows === undefined) this.rows.set(table, [row]);
    else rows.push(row);
  }

  statements(manager: EntityManager): Statement[] {
    return [...this.rows].map(([table, rows]) => table.statement(manager, rows));
  }
}

/**
 * Group commit, one per data source, for what concurrent requests write on the hot path: units of work (a use's
 * claim with its records) and appended rows (audit rows) that arrive while a batch is being written go to the store
 * together in the next transaction, and each caller is answered only once that transaction has committed (a use
 * counts only when it is on disk). SQLite runs every write transaction one at a time on one connection, each
 * statement a hop to its thread and back: one BEGIN/COMMIT and one INSERT per table for a whole batch, instead of a
 * transaction per request, is what keeps the writer from being the queue everything waits in.
 *
 * A batch runs its units one after the other without savepoints (two statements less each); the rows they add
 * (`RowSink`) and the rows of `rows`/`append` entries are inserted at the end, one INSERT per table, all in one call
 * to SQLite; a batch of row entries only is one call from BEGIN to COMMIT. If anything in it fails, the whole
 * transaction rolls back and every entry is tried again alone, so only the failing one gets its error and the others
 * their results. A unit's `work` may therefore run twice: it may only write through its manager and its rows (no
 * outside effects) and must not keep state between runs. One entry alone waits for no one: a batch starts on the
 * next turn of the event loop. PostgreSQL gives each unit its own transaction on its own connection (concurrent
 * instances rely on its row locks); row entries are batched there too.
 */
export class WriteBatcher {
  private readonly queue: BatchQueue<Entry>;
  private readonly sqlite: boolean;

  constructor(
    private readonly source: DataSource,
    maxBatch = 64,
  ) {
    this.sqlite = source.options.type === 'sqlite';
    this.queue = new BatchQueue(maxBatch, (batch) => this.commit(batch));
  }

  /** Runs `work` in a transaction it may share with concurrent units; resolves once that committed. */
  unit<R>(work: UnitWork<R>): Promise<R> {
    if (!this.sqlite) {
      return inTransaction(this.source.manager, async (manager) => {
        const tables = new Tables();
        const result = await work(manager, tables);
        await runAll(manager, tables.statements(manager));
        return result;
      });
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ kind: 'unit', work, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /**
   * Adds the rows `work` gives (synchronously) in a transaction shared with concurrent entries; resolves with its
   * result once that committed. On SQLite a batch made only of such entries is one call: BEGIN, every table's
   * INSERT, COMMIT.
   */
  rows<R>(work: RowsWork<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ kind: 'rows', work, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Appends one row to `table`; resolves once it is committed. */
  append<T>(table: RowTable<T>, row: T): Promise<void> {
    return this.rows((rows) => rows.append(table, row));
  }

  private async commit(batch: Entry[]): Promise<void> {
    let results: unknown[];
    try {
      results =
        this.sqlite && batch.every((entry) => entry.kind === 'rows')
          ? await this.writeRowsOnly(batch)
          : await inTransaction(this.source.manager, (manager) => this.writeAll(manager, batch));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // Someone's entry failed, and nothing of the batch was kept: each again on its own, in the same order.
      for (const entry of batch) await this.commit([entry]);
      return;
    }
    batch.forEach((entry, i) => entry.resolve(results[i]));
  }

  private async writeAll(manager: EntityManager, batch: Entry[]): Promise<unknown[]> {
    const results: unknown[] = [];
    const tables = new Tables();
    for (const entry of batch) results.push(entry.kind === 'unit' ? await entry.work(manager, tables) : entry.work(tables));
    await runAll(manager, tables.statements(manager));
    return results;
  }

  private async writeRowsOnly(batch: Entry[]): Promise<unknown[]> {
    const tables = new Tables();
    const results = batch.map((entry) => (entry as { work: RowsWork<unknown> }).work(tables));
    await commitAll(this.source, tables.statements(this.source.manager));
    return results;
  }
}
