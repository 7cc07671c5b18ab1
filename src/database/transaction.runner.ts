import type { DataSource, EntityManager } from 'typeorm';

/**
 * The one path for writes. TypeORM's SQLite driver runs every statement on one shared connection, so a statement
 * issued outside a transaction while another request's transaction is open runs inside it, and commits or rolls
 * back with it; two overlapping `manager.transaction` calls nest as SAVEPOINTs of one. On SQLite every write
 * therefore goes through one queue, one transaction at a time; PostgreSQL gives each its own connection.
 * Code already inside a transaction (its manager has an active query runner) just runs: the queue is not waited
 * on twice.
 */
const queues = new WeakMap<DataSource, Promise<unknown>>();

function inside(manager: EntityManager): boolean {
  return manager.queryRunner?.isTransactionActive === true;
}

function queued<R>(source: DataSource, work: () => Promise<R>): Promise<R> {
  const previous = queues.get(source) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  queues.set(source, next);
  return next;
}

/**
 * Runs `work` in its turn in the write queue, outside TypeORM's transactions (SQLite; it begins and ends its own, in
 * one call: raw.statements.ts `commitAll`). Elsewhere it just runs.
 */
export function exclusive<R>(source: DataSource, work: () => Promise<R>): Promise<R> {
  return source.options.type === 'sqlite' ? queued(source, work) : work();
}

/** Runs `work` in one transaction (queued on SQLite). */
export function inTransaction<R>(manager: EntityManager, work: (manager: EntityManager) => Promise<R>): Promise<R> {
  if (inside(manager)) return work(manager);
  const source = manager.connection;
  if (source.options.type !== 'sqlite') return manager.transaction(work);
  return queued(source, () => manager.transaction(work));
}

/**
 * A write that is one statement (or a few that need not be atomic together): on SQLite queued like a transaction
 * so it cannot land inside someone else's; on PostgreSQL run as it is.
 */
export function write<R>(manager: EntityManager, work: (manager: EntityManager) => Promise<R>): Promise<R> {
  if (inside(manager) || manager.connection.options.type !== 'sqlite') return work(manager);
  return inTransaction(manager, work);
}
