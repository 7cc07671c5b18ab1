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
/** How long a released shared pool may take to finish its tasks before it is ended instead of kept. */
const RELEASE_WAIT_MS = 2000;

/** A piscina pool with the tasks it runs now (counted here: piscina does not say how many are running). */
interface Counted {
  pool: Piscina;
  running: number;
  idle: (() => void)[];
}

@Injectable()
export class WorkerPool implements BeforeApplicationShutdown {
  private readonly pools = new Set<Piscina>();
  private readonly shared = new Map<string, Counted>();
  private readonly logger = new Logger('WorkerPool');

  /** A pool of its own, ended by its `close()`. */
  create<I, O>(options: TaskPoolOptions): TaskPool<I, O> {
    const counted = this.counted(options);
    return this.handle(counted, async () => {
      this.pools.delete(counted.pool);
      await counted.pool.close({ force: true });
    });
  }

  /**
   * A pool kept across the runs of one app (`key`: the app, the task and its options): a run's `close()` only lets
   * go of it, and its thread (with what the worker loaded: an ONNX Runtime session, a model) serves the next run.
   * Each thread started and ended costs native memory that is not all given back (the demo's two apps restarted 200
   * times grew by 418 MiB while each run had threads of its own); an idle thread still ends after 60 s. A pool whose
   * tasks do not finish within RELEASE_WAIT_MS of being let go (a stuck task) is ended instead, and the next run gets
   * a new one.
   */
  keep<I, O>(key: string, options: TaskPoolOptions): TaskPool<I, O> {
    let counted = this.shared.get(key);
    if (counted === undefined) {
      counted = this.counted(options);
      this.shared.set(key, counted);
    }
    const kept = counted;
    return this.handle(kept, async () => {
      if (kept.running === 0) return;
      const finished = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), RELEASE_WAIT_MS);
        kept.idle.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (finished) return;
      this.logger.warn(`${options.name}: its tasks did not finish within ${RELEASE_WAIT_MS} ms of the run's end; its threads are ended`);
      if (this.shared.get(key) === kept) this.shared.delete(key);
      this.pools.delete(kept.pool);
      await kept.pool.close({ force: true });
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pools].map((p) => p.close({ force: true }).catch(() => undefined)));
    this.pools.clear();
    this.shared.clear();
  }

  private counted(options: TaskPoolOptions): Counted {
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
    this.pools.add(pool);
    return { pool, running: 0, idle: [] };
  }

  private handle<I, O>(counted: Counted, close: () => Promise<void>): TaskPool<I, O> {
    const { pool } = counted;
    return {
      run: (input, transferList) => {
        counted.running++;
        return (pool.run(input, transferList ? { transferList } : {}) as Promise<O>).finally(() => {
          if (--counted.running === 0) for (const wake of counted.idle.splice(0)) wake();
        });
      },
      get pending() {
        return pool.queueSize + pool.threads.length;
      },
      close,
    };
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
