import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from './transaction.runner.js';

/**
 * Group commit: rows that many concurrent requests write (audit rows of IDS exchanges) go to the store together, in
 * one transaction per short batch, and each caller is answered once its batch has committed. A batch is what
 * arrived while the previous one was being written (at least the next turn of the event loop), so one request alone
 * waits no longer than before, and sixteen in flight share one BEGIN/COMMIT instead of paying sixteen.
 */
export class GroupWriter<T> {
  private pending: { item: T; done: (error?: Error) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly source: DataSource,
    private readonly writeAll: (manager: EntityManager, items: T[]) => Promise<void>,
    private readonly maxBatch = 100,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
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
    }
    this.flushing = false;
  }
}
