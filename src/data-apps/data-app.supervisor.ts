import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import type { JsonValue } from '../common/json.js';
import { within } from '../common/within.js';
import { catalogSettings, type CatalogSettings } from '../resources/catalog.settings.js';
import { WorkerPool, type TaskPool } from '../runtime/worker.pool.js';
import type { AppTaskPool, ConfigProblem, DataApp, DataAppHealth, DataAppRun } from './data-app.contract.js';
import { AppIsolation } from './app-isolation.js';
import { DataAppRegistry } from './data-app.registry.js';
import { DataAppRepository } from './data-app.repository.js';
import { dataAppsSettings, type DataAppsSettings } from './data-apps.settings.js';
import { OutputPublisher } from './output.publisher.js';
import { OutputStore } from './output.store.js';
import { RunContext } from './run.context.js';
import { SecretFiles } from './secret.files.js';
import { EdgeStore, type EdgeStoreState } from './store/edge.store.js';

export type AppState = 'stopped' | 'starting' | 'running' | 'failed';

export interface AppStatus {
  name: string;
  title: string;
  description: string;
  state: AppState;
  /** When it entered this state. */
  since: string;
  desired: 'running' | 'stopped';
  lastError: string | null;
  /** Failures in a row (0 once a run lasted); restarts since boot. */
  failures: number;
  restarts: number;
  nextRestart: string | null;
  outputs: { name: string; kind: string; emitted: number }[];
  counters: Record<string, number>;
  sources: DataAppHealth['sources'];
  /** The platform's edge store of raw windows (shared by the apps): whether what the apps store reaches the disk. */
  edgeStore: EdgeStoreState;
}

interface Slot {
  name: string;
  app: DataApp;
  state: AppState;
  since: string;
  desired: 'running' | 'stopped';
  config: unknown;
  lastError: string | null;
  failures: number;
  restarts: number;
  startedAt: number;
  run?: DataAppRun;
  context?: RunContext;
  emitted: Record<string, number>;
  restartTimer?: NodeJS.Timeout;
  nextRestart: string | null;
  /** Lifecycle operations of one app run one after another. */
  queue: Promise<unknown>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One 400 naming every problem's field under `root` (`config.assets[0].plc.port`, `body.asset`). */
export function configError(problems: ConfigProblem[], root = 'config'): ConnectorError {
  const name = (field: string): string => (field === '' ? root : `${root}.${field}`);
  const [first] = problems;
  return ConnectorError.badInput(
    name(first?.field ?? ''),
    problems.length === 1 ? first.reason : problems.map((p) => `${name(p.field)}: ${p.reason}`).join('; '),
  );
}

/**
 * Runs the data apps: each in the state its operator asked for (persisted, restored at boot), isolated (an app's
 * exception or bad configuration makes it `failed` with the reason, never the connector), and restarted after a
 * failure with a doubling delay (FEP_APPS_RESTART_MIN_MS to FEP_APPS_RESTART_MAX_MS).
 */
@Injectable()
export class DataAppSupervisor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly slots = new Map<string, Slot>();
  private readonly demos: (() => Promise<void>)[] = [];
  private readonly logger = new Logger('DataApps');
  private closing = false;

  constructor(
    private readonly registry: DataAppRegistry,
    private readonly repository: DataAppRepository,
    private readonly outputs: OutputStore,
    private readonly publisher: OutputPublisher,
    private readonly edge: EdgeStore,
    private readonly workers: WorkerPool,
    private readonly isolation: AppIsolation,
    private readonly secrets: SecretFiles,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(dataAppsSettings.token) private readonly settings: DataAppsSettings,
    @Inject(catalogSettings.token) private readonly catalog: CatalogSettings,
  ) {}

  /** Pools for configuration checks, one per app and worker file (closed with the WorkerPool at shutdown). */
  private readonly verifyPools = new Map<string, TaskPool<unknown, unknown>>();

  private verifyPool<I, O>(app: string, filename: URL): AppTaskPool<I, O> {
    const key = `${app} ${filename.href}`;
    let pool = this.verifyPools.get(key);
    if (pool === undefined) {
      pool = this.workers.create<unknown, unknown>({ name: `${app} configuration check`, filename, maxQueue: 4 });
      this.verifyPools.set(key, pool);
    }
    return pool as AppTaskPool<I, O>;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const name of this.registry.names()) await this.restore(name, this.registry.get(name)!);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.slots.values()].map((slot) => this.enqueue(slot, () => this.halt(slot, 'stopped'))));
    await Promise.all(this.demos.map((stop) => stop().catch(() => undefined)));
    await this.edge.close().catch((error: unknown) => this.logger.error(`edge store: ${message(error)}`));
  }

  /** The edge store's state (readiness and metrics read it). */
  edgeStore(): EdgeStoreState {
    return this.edge.state;
  }

  list(): AppStatus[] {
    return [...this.slots.values()].map((slot) => this.status(slot));
  }

  get(name: string): AppStatus {
    return this.status(this.slot(name));
  }

  /**
   * An operator's action on a running app (a re-baseline): 404 for an action the app does not declare, 409 while it
   * is not running, 400 naming the field for bad arguments. Logged with who asked and what, as an audit line.
   */
  async act(name: string, action: string, args: unknown, by: string): Promise<JsonValue> {
    const slot = this.slot(name);
    if (slot.app.actions?.some((a) => a.name === action) !== true) throw ConnectorError.notFound('data-app action', `${name}/${action}`);
    const run = slot.run;
    if (slot.state !== 'running' || run?.act === undefined) {
      throw new ConnectorError('CONFLICT', `data app ${name} is ${slot.state}: start it before asking ${action}`);
    }
    const outcome = await run.act(action, args, by);
    if (!outcome.ok) throw configError(outcome.problems, 'body');
    this.logger.warn({ msg: `data app ${name}: ${action} asked by ${by}`, app: name, action, by, args: args as JsonValue, result: outcome.result });
    return outcome.result;
  }

  /** The configuration as the admin API shows it (the app may hide passwords). */
  config(name: string): unknown {
    const slot = this.slot(name);
    const parsed = slot.app.parseConfig(slot.config);
    return parsed.ok && slot.app.redactConfig !== undefined ? slot.app.redactConfig(parsed.config) : slot.config;
  }

  async configure(name: string, raw: unknown): Promise<AppStatus> {
    const slot = this.slot(name);
    const parsed = slot.app.parseConfig(raw);
    if (!parsed.ok) throw configError(parsed.problems);
    const stored = slot.app.parseConfig(slot.config);
    const config = slot.app.restoreSecrets?.(parsed.config, stored.ok ? stored.config : undefined) ?? parsed.config;
    const problems = (await slot.app.verifyConfig?.(config, {
        pool: (filename) => this.verifyPool(name, filename),
        readSecret: (path, field) => this.secrets.read(path, field),
      })) ?? [];
    if (problems.length > 0) throw configError(problems);
    // The same configuration again (a deployment tool re-applying it, the live page saving unchanged) is no change:
    // the running app is not restarted and its counters are not reset.
    if (stored.ok && isDeepStrictEqual(stored.config, config) && (slot.state === 'running' || slot.desired === 'stopped')) {
      return this.status(slot);
    }
    await this.enqueue(slot, async () => {
      slot.config = config;
      await this.persist(slot);
      if (slot.desired === 'running') {
        await this.halt(slot, 'stopped');
        slot.failures = 0;
        await this.launch(slot);
      }
    });
    return this.status(slot);
  }

  async start(name: string): Promise<AppStatus> {
    const slot = this.slot(name);
    await this.enqueue(slot, async () => {
      slot.desired = 'running';
      await this.persist(slot);
      if (slot.state === 'running' || slot.state === 'starting') return;
      slot.failures = 0;
      await this.launch(slot);
    });
    return this.status(slot);
  }

  async stop(name: string): Promise<AppStatus> {
    const slot = this.slot(name);
    await this.enqueue(slot, async () => {
      slot.desired = 'stopped';
      await this.persist(slot);
      await this.halt(slot, 'stopped');
    });
    return this.status(slot);
  }

  async restart(name: string): Promise<AppStatus> {
    const slot = this.slot(name);
    await this.enqueue(slot, async () => {
      slot.desired = 'running';
      await this.persist(slot);
      await this.halt(slot, 'stopped');
      slot.failures = 0;
      await this.launch(slot);
    });
    return this.status(slot);
  }

  private slot(name: string): Slot {
    const slot = this.slots.get(name);
    if (slot === undefined) throw ConnectorError.notFound('data app', name);
    return slot;
  }

  private async restore(name: string, app: DataApp): Promise<void> {
    const now = this.clock.now().toISOString();
    let demoConfig: unknown;
    if (this.catalog.demo && app.demo !== undefined) {
      try {
        const ports = { plc: this.settings.demoPlcPort, camera: this.settings.demoCameraPort };
        const hosts = { plc: this.settings.demoPlcHost, camera: this.settings.demoCameraHost };
        const demo = await app.demo({ clock: this.clock, port: (sensor) => ports[sensor], host: (sensor) => hosts[sensor], cycleMinutes: this.settings.demoCycleMinutes });
        this.demos.push(demo.stop);
        demoConfig = demo.config;
      } catch (error) {
        this.logger.error(`data app ${name}: its demo sensors did not start: ${message(error)}`);
      }
    }
    const stored = await this.repository.state(name);
    const slot: Slot = {
      name,
      app,
      state: 'stopped',
      since: now,
      desired: stored?.desired ?? (this.settings.autostart.includes(name) || demoConfig !== undefined ? 'running' : 'stopped'),
      config: demoConfig ?? app.defaultConfig(),
      lastError: null,
      failures: 0,
      restarts: 0,
      startedAt: 0,
      emitted: Object.fromEntries(app.outputs.map((o) => [o.name, 0])),
      nextRestart: null,
      queue: Promise.resolve(),
    };
    this.slots.set(name, slot);
    if (stored !== null) {
      // A stored configuration is checked again: the app may have changed since it was written.
      const parsed = app.parseConfig(JSON.parse(stored.config));
      if (!parsed.ok) {
        slot.config = JSON.parse(stored.config);
        this.enter(slot, 'failed', `the stored configuration is not valid: ${configError(parsed.problems).message}; PUT /api/apps/${name}/config`);
        return;
      }
      slot.config = parsed.config;
    } else {
      await this.persist(slot);
    }
    // Not awaited: a slow sensor does not hold up the boot; the state says how far the start got.
    if (slot.desired === 'running') void this.enqueue(slot, () => this.launch(slot));
  }

  private async reconcile(slot: Slot): Promise<void> {
    slot.restartTimer = undefined;
    slot.nextRestart = null;
    if (slot.desired === 'running' && slot.state === 'failed' && slot.run === undefined) {
      slot.restarts++;
      await this.launch(slot);
    }
  }

  private async launch(slot: Slot): Promise<void> {
    if (this.closing) return;
    const parsed = slot.app.parseConfig(slot.config);
    if (!parsed.ok) {
      this.enter(slot, 'failed', `configuration: ${configError(parsed.problems).message}`);
      return;
    }
    this.enter(slot, 'starting', null);
    const context = new RunContext({
      app: slot.name,
      outputs: slot.app.outputs,
      clock: this.clock,
      store: this.outputs,
      edge: this.edge,
      repository: this.repository,
      workers: this.workers,
      workerThreads: this.settings.workerThreads,
      secrets: this.secrets,
      onFailure: (error) => void this.enqueue(slot, () => this.failed(slot, context, error)),
    });
    slot.context = context;
    try {
      await this.publisher.publishApp(slot.name);
      const started = this.isolation.run(slot.name, (error) => context.fail(error), () => slot.app.start(parsed.config, context));
      slot.run = await within(started, this.settings.stopTimeoutMs * 6, 'starting');
    } catch (error) {
      await context.close();
      slot.context = undefined;
      this.failure(slot, error);
      return;
    }
    slot.startedAt = this.clock.now().getTime();
    this.enter(slot, 'running', null);
    this.logger.log(`data app ${slot.name} running`);
  }

  private async failed(slot: Slot, context: RunContext, error: unknown): Promise<void> {
    if (slot.context !== context) return; // a run that has already been replaced
    await this.halt(slot, 'failed');
    this.failure(slot, error);
  }

  private failure(slot: Slot, error: unknown): void {
    // A run that lasted longer than the longest delay was healthy: its failure starts the backoff afresh.
    const lasted = slot.startedAt > 0 && this.clock.now().getTime() - slot.startedAt > this.settings.restartMaxMs;
    slot.failures = lasted ? 1 : slot.failures + 1;
    this.enter(slot, 'failed', message(error));
    if (slot.desired !== 'running') return;
    const delay = Math.min(this.settings.restartMaxMs, this.settings.restartMinMs * 2 ** Math.min(slot.failures - 1, 20));
    slot.nextRestart = new Date(this.clock.now().getTime() + delay).toISOString();
    this.logger.warn(`data app ${slot.name} failed (${slot.failures} in a row), restart in ${delay} ms: ${slot.lastError}`);
    clearTimeout(slot.restartTimer);
    slot.restartTimer = setTimeout(() => void this.enqueue(slot, () => this.reconcile(slot)), delay);
  }

  /** Stops the run, if any, and enters `state` (`stopped` or `failed`). */
  private async halt(slot: Slot, state: 'stopped' | 'failed'): Promise<void> {
    const { run, context } = slot;
    slot.run = undefined;
    slot.context = undefined;
    if (state === 'stopped') {
      clearTimeout(slot.restartTimer);
      slot.restartTimer = undefined;
      slot.nextRestart = null;
    }
    if (context !== undefined) for (const [output, n] of Object.entries(context.emitted)) slot.emitted[output] = (slot.emitted[output] ?? 0) + n;
    if (run !== undefined) {
      try {
        await within(run.stop(), this.settings.stopTimeoutMs, 'stopping');
      } catch (error) {
        this.logger.warn(`data app ${slot.name} did not stop cleanly: ${message(error)}`);
      }
    }
    await context?.close();
    if (state === 'stopped' && slot.state !== 'stopped') this.enter(slot, 'stopped', slot.state === 'failed' ? slot.lastError : null);
  }

  private enter(slot: Slot, state: AppState, error: string | null): void {
    if (slot.state !== state) slot.since = this.clock.now().toISOString();
    slot.state = state;
    slot.lastError = error;
  }

  private persist(slot: Slot): Promise<unknown> {
    return this.repository.saveState({
      name: slot.name,
      desired: slot.desired,
      config: JSON.stringify(slot.config),
      updated: this.clock.now().toISOString(),
    });
  }

  private enqueue<T>(slot: Slot, operation: () => Promise<T>): Promise<T> {
    const next = slot.queue.then(operation, operation);
    slot.queue = next.catch((error: unknown) => this.logger.error(`data app ${slot.name}: ${message(error)}`));
    return next;
  }

  private status(slot: Slot): AppStatus {
    let health: DataAppHealth = { counters: {}, sources: {} };
    try {
      health = slot.run?.health() ?? health;
    } catch (error) {
      health = { counters: {}, sources: { app: { state: 'health unavailable', since: slot.since, lastError: message(error) } } };
    }
    const live = slot.context?.emitted ?? {};
    return {
      name: slot.name,
      title: slot.app.title,
      description: slot.app.description,
      state: slot.state,
      since: slot.since,
      desired: slot.desired,
      lastError: slot.lastError,
      failures: slot.failures,
      restarts: slot.restarts,
      nextRestart: slot.nextRestart,
      outputs: slot.app.outputs.map((o) => ({ name: o.name, kind: o.kind, emitted: (slot.emitted[o.name] ?? 0) + (live[o.name] ?? 0) })),
      counters: health.counters,
      sources: health.sources,
      edgeStore: this.edge.state,
    };
  }
}
