import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Piscina } from 'piscina';

export interface TaskPoolOptions {
  /** For logs. */
  name: string;
  /** The worker module (compiled `.js`), exporting its task as the default export. */
  filename: URL;
  /** Threads at most (default: 1; CPU-heavy apps on a 2- or 4-core board should not take them all). */
  maxThreads?: number;
  /** Tasks waiting beyond the running ones; more are refused rather than queued without bound. */
  maxQueue?: number;
}

/** A pool of worker threads for one kind of CPU-heavy task. */
export interface TaskPool<I, O> {
  run(input: I, transferList?: ArrayBuffer[]): Promise<O>;
  /** Tasks running and waiting. */
  readonly pending: number;
  close(): Promise<void>;
}

/**
 * The one adapter for worker threads (piscina): CPU-heavy work (ONNX inference, FFT windows) runs off the main
 * event loop, so the IDS and admin endpoints keep answering. Features ask for a pool; they never import
 * `worker_threads` themselves (a lint rule keeps it so). Pools are closed on shutdown.
 */
@Injectable()
export class WorkerPool implements BeforeApplicationShutdown {
  private readonly pools: Piscina[] = [];
  private readonly logger = new Logger('WorkerPool');

  create<I, O>(options: TaskPoolOptions): TaskPool<I, O> {
    const pool = new Piscina({
      filename: options.filename.href,
      minThreads: 0,
      maxThreads: options.maxThreads ?? 1,
      maxQueue: options.maxQueue ?? 64,
      idleTimeout: 60_000,
    });
    pool.on('error', (error: unknown) =>
      this.logger.error(`${options.name}: a worker failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.pools.push(pool);
    return {
      run: (input, transferList) => pool.run(input, transferList ? { transferList } : {}) as Promise<O>,
      get pending() {
        return pool.queueSize + pool.threads.length;
      },
      close: () => pool.close({ force: true }),
    };
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.pools.map((p) => p.close({ force: true }).catch(() => undefined)));
  }
}

/**
 * One task in a worker thread started for it and ended after it: boot-time work whose code and data should not stay
 * in the main heap (node-forge: identity/forge.tasks.ts). A plain function, not the injectable pool: it runs before
 * the Nest application exists. `filename` exports the task as its default export.
 */
export async function runInWorker<I, O>(filename: URL, input: I): Promise<O> {
  const pool = new Piscina({ filename: filename.href, minThreads: 0, maxThreads: 1, idleTimeout: 0 });
  try {
    return (await pool.run(input)) as O;
  } finally {
    await pool.close();
  }
}
