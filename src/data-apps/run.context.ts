import { Logger } from '@nestjs/common';
import type { Clock } from '../common/clock.js';
import type { JsonValue } from '../common/json.js';
import type { TaskPool, WorkerPool } from '../runtime/worker.pool.js';
import type { AppTaskPool, DataAppContext, DataAppOutput, EncodedWindow } from './data-app.contract.js';
import type { DataAppRepository } from './data-app.repository.js';
import type { OutputStore } from './output.store.js';
import type { EdgeStore } from './store/edge.store.js';
import type { SecretFiles } from './secret.files.js';

export interface RunContextDeps {
  app: string;
  outputs: readonly DataAppOutput[];
  clock: Clock;
  store: OutputStore;
  edge: EdgeStore;
  repository: DataAppRepository;
  workers: WorkerPool;
  workerThreads: number;
  secrets: SecretFiles;
  /** Called once, with the first unrecoverable error of this run. */
  onFailure: (error: unknown) => void;
}

/**
 * What one run of an app sees of the connector. Everything the run started through it (loops, worker pools) is
 * stopped with `close()`; after that the run's emits are dropped, so a late callback of a stopped run cannot
 * publish, and its errors no longer count.
 */
export class RunContext implements DataAppContext {
  readonly app: string;
  readonly clock: Clock;
  /** Values published per output during this run. */
  readonly emitted: Record<string, number> = {};
  private active = true;
  private failed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pools: TaskPool<unknown, unknown>[] = [];
  private readonly logger: Logger;

  constructor(private readonly deps: RunContextDeps) {
    this.app = deps.app;
    this.clock = deps.clock;
    this.logger = new Logger(`app:${deps.app}`);
    for (const output of deps.outputs) this.emitted[output.name] = 0;
  }

  async emit(output: string, value: JsonValue, key?: string): Promise<void> {
    if (!this.active) return;
    if (!(output in this.emitted)) throw new Error(`data app ${this.app} has no output ${output}`);
    await this.deps.store.append(this.app, output, value, key ?? null);
    this.emitted[output]++;
  }

  store(window: EncodedWindow): void {
    if (this.active) this.deps.edge.add(this.app, window);
  }

  readSecret(path: string, field: string): Promise<string> {
    return this.deps.secrets.read(path, field);
  }

  async recall(key: string): Promise<JsonValue | undefined> {
    const raw = await this.deps.repository.recall(this.app, key);
    return raw === undefined ? undefined : (JSON.parse(raw) as JsonValue);
  }

  async remember(key: string, value: JsonValue): Promise<void> {
    await this.deps.repository.remember({ app: this.app, key, value: JSON.stringify(value), updated: this.clock.now().toISOString() });
  }

  pool<I, O>(name: string, filename: URL, options: { maxThreads?: number; maxQueue?: number } = {}): AppTaskPool<I, O> {
    const maxThreads = options.maxThreads ?? this.deps.workerThreads;
    // Kept across this app's runs (a restart reuses the thread and what it loaded): see WorkerPool.keep.
    const pool = this.deps.workers.keep<I, O>(`${this.app}\n${name}\n${filename.href}\n${maxThreads}\n${options.maxQueue ?? ''}`, {
      name: `${this.app}:${name}`,
      filename,
      maxThreads,
      ...(options.maxQueue === undefined ? {} : { maxQueue: options.maxQueue }),
    });
    this.pools.push(pool);
    return pool;
  }

  fail(error: unknown): void {
    if (!this.active || this.failed) return;
    this.failed = true;
    this.deps.onFailure(error);
  }

  every(ms: number, work: () => Promise<void> | void): void {
    const pass = (): void => {
      if (!this.active) return;
      let result: Promise<void> | void;
      try {
        result = work();
      } catch (error) {
        this.fail(error);
        return;
      }
      void Promise.resolve(result).then(
        () => this.plan(pass, ms),
        (error: unknown) => this.fail(error),
      );
    };
    this.plan(pass, ms);
  }

  log(message: string): void {
    this.logger.log(message);
  }

  warn(message: string): void {
    this.logger.warn(message);
  }

  /** Ends the run's loops and pools; later emits and failures are ignored. */
  async close(): Promise<void> {
    this.active = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.pools.map((p) => p.close().catch(() => undefined)));
  }

  private plan(pass: () => void, ms: number): void {
    if (!this.active) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      pass();
    }, ms);
    this.timers.add(timer);
  }
}
