import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { runtimeSettings, type RuntimeSettings } from './runtime.settings.js';

export interface JobOptions {
  /** For logs and status. */
  name: string;
  /** Runs every this many ms; undefined: only when kicked (and retried after a failure). */
  everyMs?: number;
  /** Runs once when the application has started (default true). */
  atStart?: boolean;
  /** One pass. Resolving `'again'` asks for another pass right away (more work is waiting). */
  run: () => Promise<'again' | void>;
  /** After a failed pass the next one waits from `initialMs`, doubling up to `maxMs`; FEP_SERVICE_* by default. */
  backoff?: { initialMs: number; maxMs: number };
}

export interface JobStatus {
  name: string;
  running: boolean;
  lastRun: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  /** Failed passes in a row (0 once one succeeds). */
  failures: number;
  nextRun: string | null;
}

/** A scheduled piece of background work: one pass at a time, never overlapping, stopped with the application. */
export class Job {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly state: JobStatus;
  private readonly logger: Logger;

  constructor(
    private readonly options: JobOptions & { backoff: { initialMs: number; maxMs: number } },
    private readonly clock: Clock,
  ) {
    this.state = { name: options.name, running: false, lastRun: null, lastSuccess: null, lastError: null, failures: 0, nextRun: null };
    this.logger = new Logger(options.name);
  }

  get status(): JobStatus {
    return { ...this.state, running: this.running !== undefined };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.options.atStart ?? true) void this.kick();
    else this.plan(this.options.everyMs);
  }

  /** Runs a pass now, or right after the current one; resolves when that pass has run. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    clearTimeout(this.timer);
    this.running = this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  /** A pass within `delayMs` (changes arriving meanwhile are taken in the same pass); sooner if already planned. */
  soon(delayMs: number): void {
    if (this.stopped || this.running) {
      if (this.running) this.again = true;
      return;
    }
    const planned = this.state.nextRun === null ? Infinity : new Date(this.state.nextRun).getTime() - this.clock.now().getTime();
    if (planned > delayMs) this.plan(delayMs);
  }

  /** Stops planning passes and waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async loop(): Promise<void> {
    let delay: number | undefined;
    do {
      this.again = false;
      this.state.lastRun = this.clock.now().toISOString();
      try {
        if ((await this.options.run()) === 'again') this.again = true;
        this.state.lastSuccess = this.clock.now().toISOString();
        this.state.lastError = null;
        this.state.failures = 0;
        delay = this.options.everyMs;
      } catch (error) {
        this.state.failures++;
        this.state.lastError = error instanceof Error ? error.message : String(error);
        const { initialMs, maxMs } = this.options.backoff;
        delay = Math.min(maxMs, initialMs * 2 ** Math.min(this.state.failures - 1, 20));
        if (this.state.failures === 1 || this.state.failures % 10 === 0) {
          this.logger.warn(`pass failed (${this.state.failures} in a row; next in ${delay} ms): ${this.state.lastError}`);
        }
        this.again = false;
      }
    } while (this.again && !this.stopped);
    this.plan(delay);
  }

  private plan(delay: number | undefined): void {
    clearTimeout(this.timer);
    if (this.stopped || delay === undefined) {
      this.state.nextRun = null;
      return;
    }
    this.state.nextRun = new Date(this.clock.now().getTime() + delay).toISOString();
    this.timer = setTimeout(() => void this.kick(), delay);
    this.timer.unref();
  }
}

/**
 * The one scheduler for background work (broker registration, clearing-house outbox, deletion and retention
 * sweeps, the edge store's batches and retention): each job runs one pass at a time, backs off after failures, starts when the
 * application has started and is stopped, and waited for, before the database closes.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly jobs: Job[] = [];
  private started = false;

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(runtimeSettings.token) private readonly settings: RuntimeSettings,
  ) {}

  schedule(options: JobOptions): Job {
    const job = new Job(
      { ...options, backoff: options.backoff ?? { initialMs: this.settings.pollMs, maxMs: this.settings.retryMaxMs } },
      this.clock,
    );
    this.jobs.push(job);
    if (this.started) job.start();
    return job;
  }

  status(): JobStatus[] {
    return this.jobs.map((j) => j.status);
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const job of this.jobs) job.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.started = false;
    await Promise.all(this.jobs.map((j) => j.stop()));
  }
}
