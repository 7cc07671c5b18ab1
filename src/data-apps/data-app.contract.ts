/**
 * Extension point: a data app, a plug-in that runs in the connector's process next to the sensors (a camera
 * occupancy counter, a pump-vibration analyser) and whose results are catalog artifacts served under usage
 * policies. An app is a provider class with `@DataAppPlugin('<name>')` implementing `DataApp`; the registry finds it
 * and fails at boot on a duplicate name. The app sees the connector only through the `DataAppContext` it is
 * started with: it imports this contract, never the platform's code.
 */
import { DiscoveryService } from '@nestjs/core';
import type { Clock } from '../common/clock.js';
import type { JsonValue } from '../common/json.js';

/** One result an app publishes: it becomes a resource + representation + artifact in the catalog. */
export interface DataAppOutput {
  /** Path segment: `[a-z][a-z0-9-]*`, unique within the app. */
  name: string;
  title: string;
  description: string;
  keywords: string[];
  /**
   * `state`: each value is the latest state of its key (an asset, a zone): a request gets the current value per key.
   * `events`: each value is an event of its own: a request gets the latest ones.
   */
  kind: 'state' | 'events';
}

/** A configuration problem, named by its JSON path (`assets[0].plc.port`): the admin API answers 400 with it. */
export interface ConfigProblem {
  field: string;
  reason: string;
}

export type ParsedConfig<C> = { ok: true; config: C } | { ok: false; problems: ConfigProblem[] };

/** What a running app tells the platform about itself; shown by `GET /api/apps/{name}`. */
export interface DataAppHealth {
  /** Numbers an operator watches: samples/s, windows, gaps, events, reconnects... */
  counters: Record<string, number>;
  /**
   * Per sensor or per asset: its state (`connected`, `reconnecting`, `no data`...), what went wrong last, and whether
   * it delivers now (`up`; left out: the platform takes it as up). The platform logs each change of `up` once, counts
   * it, and makes readiness `degraded` while a source of a running app is down past FEP_APPS_SOURCE_DOWN_S.
   */
  sources: Record<string, { state: string; since: string; lastError: string | null; up?: boolean }>;
}

/** What an operator may ask of a running app besides its lifecycle (POST /api/apps/{app}/actions/{action}). */
export interface DataAppAction {
  name: string;
  summary: string;
  /** An example body, for the API document. */
  example: JsonValue;
}

export type ActionResult = { ok: true; result: JsonValue } | { ok: false; problems: ConfigProblem[] };

/** A started app. */
export interface DataAppRun {
  /** Stops reading and releases every resource (sockets, timers, child processes); resolves when done. */
  stop(): Promise<void>;
  health(): DataAppHealth;
  /** One of the app's declared actions, asked by the admin user `by`; a problem with `args` names its field. */
  act?(action: string, args: unknown, by: string): Promise<ActionResult>;
}

/** A worker-thread pool for an app's CPU-heavy work (FFT windows, ONNX inference). */
export interface AppTaskPool<I, O> {
  run(input: I, transferList?: ArrayBuffer[]): Promise<O>;
  /** Tasks running or waiting: an app drops or coalesces work above its own bound instead of queueing more. */
  readonly pending: number;
}

/** What a configuration check may use besides files: a worker pool of its own (trying a model is CPU work). */
export interface VerifyTools {
  /** One pool per app and worker file, kept between checks; its thread ends when idle. */
  pool<I, O>(filename: URL): AppTaskPool<I, O>;
  /** Reads a secret file (SecretFiles: only under FEP_APPS_SECRET_DIRS, never the certs or data directory). */
  readSecret(path: string, field: string): Promise<string>;
}

/** A window of raw samples with its indicators, kept in the edge store (compact blobs + rows). */
export interface SeriesWindow {
  /** The asset (pump, camera) and the channel (sensor) it belongs to. */
  asset: string;
  channel: string;
  /** ms since the epoch of the first sample. */
  startMs: number;
  sampleRateHz: number;
  /** Raw samples as integers (register counts) and the scale that makes them physical values. */
  samples: Int16Array;
  scale: number;
  /** Samples missing inside the window (a gap in the PLC's sequence): the window is marked, never stitched. */
  missing: number;
  indicators: Record<string, JsonValue>;
}

/** A window's bytes encoded for the store (done in a worker with the analysis, off the event loop). */
export interface EncodedWindow extends Omit<SeriesWindow, 'samples'> {
  samples: number;
  frame: Uint8Array;
}

export interface DataAppContext {
  readonly app: string;
  readonly clock: Clock;
  /**
   * Publishes a value of one of the app's outputs (persisted with a bounded history; subscribers are told in
   * the same transaction). `key` names the asset or zone for `state` outputs.
   */
  emit(output: string, value: JsonValue, key?: string): Promise<void>;
  /** Stores windows of raw samples with their indicators (batched by the store). */
  store(window: EncodedWindow): void;
  /** A value the app keeps across restarts (a learned baseline, a model): JSON, per app and key. */
  recall(key: string): Promise<JsonValue | undefined>;
  remember(key: string, value: JsonValue): Promise<void>;
  /** A pool of worker threads running the default export of `filename` (a compiled `.js` module). */
  pool<I, O>(name: string, filename: URL, options?: { maxThreads?: number; maxQueue?: number }): AppTaskPool<I, O>;
  /**
   * Reports an error the app cannot recover from by itself: the platform stops the run, marks the app `failed`
   * with the reason and restarts it with backoff. Errors of a sensor are not this: they are a source's state.
   */
  fail(error: unknown): void;
  /** Runs `work` every `ms` without overlapping passes; a throw becomes `fail`. Stopped with the run. */
  every(ms: number, work: () => Promise<void> | void): void;
  log(message: string): void;
  warn(message: string): void;
  /** Reads a secret file (a camera's password file): only under FEP_APPS_SECRET_DIRS, never the certs or data directory. */
  readSecret(path: string, field: string): Promise<string>;
}

/** What an app's demo gets: the clock and the TCP port for each kind of simulated sensor (FEP_DEMO_*_PORT). */
export interface DemoContext {
  clock: Clock;
  port(sensor: 'plc' | 'camera'): number;
  /** Where the simulated sensor already runs (another process or container): the demo then starts none itself. */
  host(sensor: 'plc' | 'camera'): string | undefined;
  /** Minutes of one cycle of a simulated machine's life (FEP_DEMO_CYCLE_MINUTES): the demo's time scale. */
  cycleMinutes: number;
}

export interface DataApp<C = unknown> {
  readonly title: string;
  readonly description: string;
  readonly outputs: readonly DataAppOutput[];
  /** Operator actions a running app takes (a re-baseline after a repair); none when absent. */
  readonly actions?: readonly DataAppAction[];
  /** The configuration a fresh connector starts from (a generic example; stopped until an operator starts it). */
  defaultConfig(): C;
  /** Checks a configuration (pure): every problem names its field. */
  parseConfig(raw: unknown): ParsedConfig<C>;
  /** Checks what parsing cannot (a model file loads): problems are a 400 too. */
  verifyConfig?(config: C, tools: VerifyTools): Promise<ConfigProblem[]>;
  /** The configuration as the admin API shows it (passwords replaced); as stored when absent. */
  redactConfig?(config: C): unknown;
  /** A configuration sent back with its passwords redacted keeps the stored ones. */
  restoreSecrets?(incoming: C, stored: C | undefined): C;
  start(config: C, context: DataAppContext): Promise<DataAppRun>;
  /**
   * The demo node (FEP_DEMO): starts the app's simulated sensors and returns a configuration that reads them.
   * Resolves with a stop function for the simulators.
   */
  demo?(context: DemoContext): Promise<{ config: C; stop: () => Promise<void> }>;
}

/** `@DataAppPlugin('vibration')` on a provider class implementing DataApp. */
export const DataAppPlugin = DiscoveryService.createDecorator<string>();

/** Names of apps and outputs appear in IRIs and paths. */
export const DATA_APP_NAME = /^[a-z][a-z0-9-]{0,62}$/;
