import type { DataSource, EntityManager } from 'typeorm';
import { BatchQueue } from './batch.queue.js';
import { inTransaction } from './transaction.runner.js';

/**
 * Group commit: rows that many concurrent requests write (audit rows of IDS exchanges) go to the store together, in
 * one transaction per short batch, and each caller is answered once its batch has committed. A batch is what
 * arrived while the previous one was being written (at least the next turn of the event loop), so one request alone
 * waits no longer than before, and sixteen in flight share one BEGIN/COMMIT instead of paying sixteen.
 */
export class GroupWriter<T> {
  private readonly queue: BatchQueue<{ item: T; done: (error?: Error) => void }>;

  constructor(
    private readonly source: DataSource,
    private readonly writeAll: (manager: EntityManager, items: T[]) => Promise<void>,
    maxBatch = 100,
  ) {
    this.queue = new BatchQueue(maxBatch, async (batch) => {
      try {
        await inTransaction(this.source.manager, (m) =>
          this.writeAll(
            m,
            batch.map((b) => b.item),
          ),
        );
        for (const b of batch) b.done();
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const b of batch) b.done(failure);
      }
    });
  }

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, done: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  }
}
