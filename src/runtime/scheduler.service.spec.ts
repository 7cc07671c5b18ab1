import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FixedClock } from '../common/clock.js';
import { Scheduler } from './scheduler.service.js';

const scheduler = (): Scheduler => new Scheduler(new FixedClock(new Date('2026-06-01T00:00:00Z')), { pollMs: 10, retryMaxMs: 40 });
const settle = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('Scheduler', () => {
  it('runs a job at start and when kicked, one pass at a time, and takes a kick during a pass as one more pass', async () => {
    const s = scheduler();
    let running = 0;
    let most = 0;
    let passes = 0;
    const job = s.schedule({
      name: 'job',
      run: async () => {
        running++;
        most = Math.max(most, running);
        passes++;
        await settle(10);
        running--;
      },
    });
    s.onApplicationBootstrap();
    await settle(1);
    const kicks = [job.kick(), job.kick(), job.kick()];
    await Promise.all(kicks);
    await job.kick();
    assert.equal(most, 1, 'never two passes at once');
    assert.equal(passes, 3, 'the start pass, one for the three kicks during it, and the last kick');
    await s.beforeApplicationShutdown();
  });

  it('backs off after failures, doubling up to the maximum, and resets after a success', async () => {
    const s = scheduler();
    let fail = true;
    const job = s.schedule({
      name: 'flaky',
      run: () => (fail ? Promise.reject(new Error('peer down')) : Promise.resolve()),
    });
    s.onApplicationBootstrap();
    await settle(1);
    assert.equal(job.status.failures, 1);
    assert.equal(job.status.lastError, 'peer down');
    assert.equal(new Date(job.status.nextRun!).getTime() - new Date('2026-06-01T00:00:00Z').getTime(), 10);
    await job.kick();
    await job.kick();
    await job.kick();
    assert.equal(job.status.failures, 4);
    assert.equal(new Date(job.status.nextRun!).getTime() - new Date('2026-06-01T00:00:00Z').getTime(), 40, 'capped at retryMaxMs');
    fail = false;
    await job.kick();
    assert.equal(job.status.failures, 0);
    assert.equal(job.status.nextRun, null, 'no period: only kicks');
    await s.beforeApplicationShutdown();
  });

  it('stops with the application and waits for the pass under way', async () => {
    const s = scheduler();
    let finished = false;
    s.schedule({ name: 'slow', run: () => settle(30).then(() => void (finished = true)) });
    s.onApplicationBootstrap();
    await settle(1);
    await s.beforeApplicationShutdown();
    assert.equal(finished, true);
  });
});
