import { Injectable } from '@nestjs/common';
import {
  DataAppPlugin,
  type DataApp,
  type DataAppContext,
  type DataAppRun,
  type ParsedConfig,
} from '../../src/data-apps/data-app.contract.js';

interface ThrowConfig {
  /** After this many passes of its loop the app throws. */
  afterPasses: number;
  /** `loop`: in a context.every loop; `raw`: in a plain setTimeout the app did not guard. */
  where: 'loop' | 'raw';
}

function parseThrow(raw: unknown): ParsedConfig<ThrowConfig> {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof o.afterPasses !== 'number' || o.afterPasses < 1) {
    return { ok: false, problems: [{ field: 'afterPasses', reason: 'must be a number of at least 1' }] };
  }
  if (o.where !== 'loop' && o.where !== 'raw') return { ok: false, problems: [{ field: 'where', reason: 'must be loop or raw' }] };
  return { ok: true, config: { afterPasses: o.afterPasses, where: o.where } };
}

/** A data app with a bug: it publishes a few ticks, then throws. */
@Injectable()
@DataAppPlugin('throwing')
export class ThrowingApp implements DataApp<ThrowConfig> {
  readonly title = 'Throwing test app';
  readonly description = 'throws after a few passes';
  readonly outputs = [{ name: 'ticks', title: 'Ticks', description: 'one per pass', keywords: [], kind: 'events' as const }];
  starts = 0;

  defaultConfig(): ThrowConfig {
    return { afterPasses: 3, where: 'loop' };
  }

  parseConfig(raw: unknown): ParsedConfig<ThrowConfig> {
    return parseThrow(raw);
  }

  start(config: ThrowConfig, context: DataAppContext): Promise<DataAppRun> {
    this.starts++;
    let passes = 0;
    const tick = async (): Promise<void> => {
      passes++;
      await context.emit('ticks', { pass: passes, start: this.starts });
      if (passes >= config.afterPasses) throw new Error(`boom after ${passes} passes`);
    };
    let timer: NodeJS.Timeout | undefined;
    if (config.where === 'loop') {
      context.every(50, tick);
    } else {
      const raw = (): void => {
        passes++;
        if (passes >= config.afterPasses) throw new Error(`raw boom after ${passes} passes`);
        timer = setTimeout(raw, 50);
      };
      timer = setTimeout(raw, 50);
    }
    return Promise.resolve({ stop: () => Promise.resolve(clearTimeout(timer)), health: () => ({ counters: { passes }, sources: {} }) });
  }
}

/** A data app whose start fails the first `failures` times (a sensor that is not there yet). */
@Injectable()
@DataAppPlugin('flaky')
export class FlakyStartApp implements DataApp<{ failures: number }> {
  readonly title = 'Flaky test app';
  readonly description = 'fails to start a few times';
  readonly outputs = [];
  attempts = 0;

  defaultConfig(): { failures: number } {
    return { failures: 2 };
  }

  parseConfig(raw: unknown): ParsedConfig<{ failures: number }> {
    const failures = (raw as { failures?: unknown } | null)?.failures;
    return typeof failures === 'number'
      ? { ok: true, config: { failures } }
      : { ok: false, problems: [{ field: 'failures', reason: 'must be a number' }] };
  }

  start(config: { failures: number }): Promise<DataAppRun> {
    this.attempts++;
    if (this.attempts <= config.failures) return Promise.reject(new Error(`sensor not there yet (attempt ${this.attempts})`));
    return Promise.resolve({ stop: () => Promise.resolve(), health: () => ({ counters: { attempts: this.attempts }, sources: {} }) });
  }
}

interface PulseConfig {
  /** Milliseconds between two pulses. */
  everyMs: number;
  /** Pulses per run (then it idles). */
  count: number;
}

/** A data app that emits `count` numbered events, one every `everyMs`: a change source with a known sequence. */
@Injectable()
@DataAppPlugin('pulse')
export class PulseApp implements DataApp<PulseConfig> {
  readonly title = 'Pulse test app';
  readonly description = 'emits numbered events';
  readonly outputs = [
    { name: 'pulses', title: 'Pulses', description: 'one event per pulse, numbered', keywords: [], kind: 'events' as const },
  ];

  defaultConfig(): PulseConfig {
    return { everyMs: 50, count: 5 };
  }

  parseConfig(raw: unknown): ParsedConfig<PulseConfig> {
    const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const everyMs = o.everyMs ?? 50;
    const count = o.count ?? 5;
    if (typeof everyMs !== 'number' || everyMs < 10) return { ok: false, problems: [{ field: 'everyMs', reason: 'must be at least 10' }] };
    if (typeof count !== 'number' || count < 0) return { ok: false, problems: [{ field: 'count', reason: 'must be a number' }] };
    return { ok: true, config: { everyMs, count } };
  }

  start(config: PulseConfig, context: DataAppContext): Promise<DataAppRun> {
    let n = 0;
    context.every(config.everyMs, async () => {
      if (n >= config.count) return;
      n++;
      await context.emit('pulses', { n, of: config.count });
    });
    return Promise.resolve({ stop: () => Promise.resolve(), health: () => ({ counters: { pulses: n }, sources: {} }) });
  }
}

/** A data app that publishes one large value (`kb` kilobytes): a heavy live-page snapshot, as a busy demo node's. */
@Injectable()
@DataAppPlugin('bulky')
export class BulkyApp implements DataApp<{ kb: number; everyMs: number }> {
  readonly title = 'Bulky test app';
  readonly description = 'publishes one large value, and a new one every everyMs when that is above 0';
  readonly outputs = [{ name: 'blob', title: 'Blob', description: 'one large value', keywords: [], kind: 'state' as const }];

  defaultConfig(): { kb: number; everyMs: number } {
    return { kb: 400, everyMs: 0 };
  }

  parseConfig(raw: unknown): ParsedConfig<{ kb: number; everyMs: number }> {
    const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const kb = o.kb ?? 400;
    const everyMs = o.everyMs ?? 0;
    if (typeof kb !== 'number' || kb < 1 || kb > 4096) return { ok: false, problems: [{ field: 'kb', reason: 'must be 1 to 4096' }] };
    if (typeof everyMs !== 'number' || everyMs < 0) return { ok: false, problems: [{ field: 'everyMs', reason: 'must be 0 or more' }] };
    return { ok: true, config: { kb, everyMs } };
  }

  async start(config: { kb: number; everyMs: number }, context: DataAppContext): Promise<DataAppRun> {
    await context.emit('blob', { text: 'x'.repeat(config.kb * 1024) }, 'only');
    let n = 0;
    // A new large value each time (the live feed's delta is then about as large as the snapshot).
    if (config.everyMs > 0) {
      context.every(config.everyMs, () =>
        context.emit('blob', { text: String.fromCharCode(97 + (++n % 26)).repeat(config.kb * 1024) }, 'only'),
      );
    }
    return { stop: () => Promise.resolve(), health: () => ({ counters: {}, sources: {} }) };
  }
}
