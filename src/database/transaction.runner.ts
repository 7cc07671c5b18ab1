import type { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM's SQLite driver runs every query on one shared connection, so two overlapping `manager.transaction`
 * calls would nest (the second becomes a SAVEPOINT inside the first) and commit or roll back together. SQLite
 * transactions are therefore queued one at a time per data source; PostgreSQL gets a connection each.
 */
const queues = new WeakMap<DataSource, Promise<unknown>>();

export function inTransaction<R>(manager: EntityManager, work: (manager: EntityManager) => Promise<R>): Promise<R> {
  const source = manager.connection;
  if (source.options.type !== 'sqlite') return manager.transaction(work);
  const previous = queues.get(source) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => manager.transaction(work));
  queues.set(source, next);
  return next;
}
