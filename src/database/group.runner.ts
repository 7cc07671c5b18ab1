import type { DataSource, EntityManager } from 'typeorm';
import { BatchQueue } from './batch.queue.js';
import { inTransaction } from './transaction.runner.js';

interface Job {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit of units of work on SQLite, where every write transaction is one at a time on one connection and
 * each COMMIT is a sync to disk: the units that arrive while a batch is being written run together in the next one
 * transaction, each inside a SAVEPOINT of its own, so a unit that fails rolls back alone and its caller gets its
 * error; the others are answered with their results once the whole batch has committed (a use counts only when it
 * is on disk). One unit alone waits for no one: a batch starts on the next turn of the event loop.
 */
export class GroupRunner {
  private readonly queue: BatchQueue<Job>;
  private seq = 0;

  constructor(
    private readonly source: DataSource,
    maxBatch = 64,
  ) {
    this.queue = new BatchQueue(maxBatch, (batch) => this.commit(batch));
  }

  run<R>(work: (manager: EntityManager) => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private async commit(batch: Job[]): Promise<void> {
    if (batch.length === 1) {
      // Alone: its own transaction is its savepoint.
      const [job] = batch;
      await inTransaction(this.source.manager, job.work).then(job.resolve, job.reject);
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await inTransaction(this.source.manager, async (manager) => {
        for (const job of batch) {
          const savepoint = `fep_unit_${++this.seq}`;
          await manager.query(`SAVEPOINT ${savepoint}`);
          try {
            outcomes.push({ ok: true, value: await job.work(manager) });
            await manager.query(`RELEASE ${savepoint}`);
          } catch (error) {
            await manager.query(`ROLLBACK TO ${savepoint}`);
            await manager.query(`RELEASE ${savepoint}`);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The batch did not commit: nobody's work happened.
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
