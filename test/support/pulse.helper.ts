import assert from 'node:assert/strict';
import type { TestApp } from './test-app.js';
import { waitFor } from './wait.js';

type Json = Record<string, any>;

/**
 * Restarts the pulse app to emit `count` values and waits until the last one is stored: its deliveries are queued in
 * the same transaction, so a subscription made afterwards gets none of them (a faster node made that a race).
 */
export async function pulses(app: { call: TestApp['call'] }, count: number, everyMs = 30): Promise<void> {
  const newest = async (): Promise<Json | null> => (await app.call('GET', '/api/apps/pulse/outputs/pulses')).json<Json>().current;
  const before = (await newest())?.seq ?? -1;
  assert.equal((await app.call('PUT', '/api/apps/pulse/config', { json: { everyMs, count } })).status, 200);
  const started = await app.call('POST', '/api/apps/pulse/restart');
  assert.equal(started.status, 200, started.text);
  if (count === 0) return;
  await waitFor(`the pulse app's ${count} values`, async () => {
    const last = await newest();
    return last !== null && last.seq > before && last.value.n === count && last.value.of === count;
  });
}
