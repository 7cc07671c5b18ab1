/**
 * The queueing of the group commit (write.batcher.ts): entries wait while a batch is written, and
 * a batch starts on the next turn of the event loop with what has arrived, at most `maxBatch` of it. `write` answers
 * its entries' callers itself, failures included.
 */
export class BatchQueue<E> {
  private pending: E[] = [];
  private flushing = false;

  constructor(
    private readonly maxBatch: number,
    private readonly write: (batch: E[]) => Promise<void>,
  ) {}

  push(entry: E): void {
    this.pending.push(entry);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) await this.write(this.pending.splice(0, this.maxBatch));
    } finally {
      this.flushing = false;
    }
  }
}
