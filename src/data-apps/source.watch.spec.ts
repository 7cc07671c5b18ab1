import assert from 'node:assert/strict';
import { Logger, type LoggerService } from '@nestjs/common';
import { after, before, describe, it } from 'node:test';
import { FixedClock } from '../common/clock.js';
import { Metrics } from '../common/telemetry/metrics.js';
import type { Scheduler } from '../runtime/scheduler.service.js';
import type { AppStatus, DataAppSupervisor } from './data-app.supervisor.js';
import type { DataAppsSettings } from './data-apps.settings.js';
import { SourceWatch } from './source.watch.js';

describe('SourceWatch: each source’s state changes logged once, counted, and down past the limit', () => {
  const lines: string[] = [];
  const capture: LoggerService = {
    log: (m: unknown) => void lines.push(`log ${String(m)}`),
    warn: (m: unknown) => void lines.push(`warn ${String(m)}`),
    error: (m: unknown) => void lines.push(`error ${String(m)}`),
  };
  before(() => Logger.overrideLogger(capture));
  after(() => Logger.overrideLogger(['error', 'warn', 'log']));

  it('a PLC down: quiet for 5 s, then one warning with the reason, one line when back, and readiness after the limit', () => {
    const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));
    let up = false;
    const status = (): AppStatus =>
      ({
        name: 'vibration',
        state: 'running',
        sources: { 'pump-1': { state: up ? 'connected' : 'reconnecting', since: clock.now().toISOString(), lastError: up ? null : 'getaddrinfo ENOTFOUND plc.invalid', up } },
      }) as unknown as AppStatus;
    const supervisor = { list: () => [status()] } as unknown as DataAppSupervisor;
    const metrics = new Metrics();
    const watch = new SourceWatch(supervisor, {} as Scheduler, clock, metrics, { sourceDownSeconds: 60 } as DataAppsSettings);
    watch.pass();
    clock.advance(4000);
    watch.pass();
    assert.deepEqual(lines, [], 'within the grace: a reconnect, not an outage');
    clock.advance(1000);
    watch.pass();
    clock.advance(1000);
    watch.pass();
    assert.deepEqual(lines, ['warn vibration: source pump-1 is down (reconnecting): getaddrinfo ENOTFOUND plc.invalid']);
    assert.deepEqual(watch.down(), [], 'not yet past FEP_APPS_SOURCE_DOWN_S');
    clock.advance(60_000);
    assert.equal(watch.down()[0].source, 'pump-1');
    up = true;
    watch.pass();
    watch.pass();
    assert.deepEqual(lines.slice(1), ['log vibration: source pump-1 is back (connected) after 66 s']);
    assert.deepEqual(watch.down(), []);
  });
});
