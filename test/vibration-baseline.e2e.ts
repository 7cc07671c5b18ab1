import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HEALTHY_PUMP } from '../src/data-apps/vibration/simulator/pump-signal.generator.js';
import { PlcSimulator } from '../src/data-apps/vibration/simulator/plc.simulator.js';
import { freePort } from './support/free-port.js';
import { ADMIN, startTestApp, type TestApp } from './support/test-app.js';
import { fastVibrationConfig } from './support/vibration.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/**
 * #26 point 3: a pump already in zone D (`plc-sim --unbalance 4`) had its "healthy baseline learned" at 4.6 mm/s and
 * showed a health index of 0.98; after a repair the index was 0. A baseline is learned only in zones A/B with stable
 * indicators, the app says why it is not learning, and an operator can ask for a new one (audited).
 */
describe('vibration: a healthy baseline only from a healthy machine, and a re-baseline on request (e2e)', () => {
  let t: TestApp;
  let sim: PlcSimulator;

  before(async () => {
    sim = new PlcSimulator({ port: await freePort(), seed: 31, model: { ...HEALTHY_PUMP, unbalance: HEALTHY_PUMP.unbalance * 4 } });
    await sim.start();
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
    await sim.stop();
  });

  const channel = async (): Promise<Json | undefined> =>
    (await t.call('GET', '/api/apps/vibration/outputs/condition')).json<Json>().current?.['pump-1']?.value?.channels?.['drive-end'];
  const events = async (kind: string): Promise<Json[]> =>
    ((await t.call('GET', '/api/apps/vibration/outputs/events/history?key=pump-1&size=200')).json<Json>().items as Json[])
      .map((e) => e.value)
      .filter((e) => e.kind === kind);

  it('a pump in zone D is not learned from (the app says why); once repaired it is, and its health is high in zone A', async () => {
    assert.equal((await t.call('PUT', '/api/apps/vibration/config', { json: fastVibrationConfig(sim.port) })).status, 200);
    assert.equal((await t.call('POST', '/api/apps/vibration/start')).json<Json>().state, 'running');
    const waiting = await waitFor('the condition of a pump in zone D', async () => {
      const c = await channel();
      return c?.zone === 'D' ? c : undefined;
    });
    assert.equal(waiting.baseline, 'waiting', JSON.stringify(waiting));
    assert.match(waiting.baselineNote as string, /zone D: a healthy baseline is learned only in zones A and B/);
    assert.equal(waiting.health, null, 'no health index without a baseline');

    sim.inject({ unbalance: HEALTHY_PUMP.unbalance }); // the repair
    const learned = await waitFor(
      'a baseline learned after the repair, and zone A judged',
      async () => {
        const c = await channel();
        return c?.baseline === 'ready' && c.zone === 'A' && typeof c.health === 'number' ? c : undefined;
      },
      30_000,
    );
    assert.ok(learned.health >= 0.8, `health ${learned.health} in zone A after the repair`);
  });

  it('POST …/actions/rebaseline forgets the baseline and learns again; the event names who asked and why; bad requests are 4xx', async () => {
    const asked = await t.call('POST', '/api/apps/vibration/actions/rebaseline', {
      json: { asset: 'pump-1', reason: 'drive-end bearing replaced' },
    });
    assert.equal(asked.status, 200, asked.text);
    assert.deepEqual(asked.json<Json>().channels, ['drive-end']);
    const reset = await waitFor('the baseline-reset event', async () => (await events('baseline-reset'))[0]);
    assert.equal(reset.evidence.by, ADMIN.user);
    assert.equal(reset.evidence.reason, 'drive-end bearing replaced');
    assert.match(reset.message, /forgotten at the request of admin \(drive-end bearing replaced\)/);
    await waitFor('learning again', async () => (await channel())?.baseline === 'learning');
    await waitFor('learned again', async () => (await channel())?.baseline === 'ready', 30_000);

    const wrongAsset = await t.call('POST', '/api/apps/vibration/actions/rebaseline', { json: { asset: 'pump-9' } });
    assert.equal(wrongAsset.status, 400);
    assert.match(wrongAsset.text, /body\.asset: must be one of the configured assets: pump-1/);
    const wrongField = await t.call('POST', '/api/apps/vibration/actions/rebaseline', { json: { asset: 'pump-1', when: 'now' } });
    assert.equal(wrongField.status, 400);
    assert.match(wrongField.text, /body\.when/);
    const notObject = await t.call('POST', '/api/apps/vibration/actions/rebaseline', { json: [1, 2] });
    assert.equal(notObject.status, 400);
    assert.match(notObject.json<Json>().detail as string, /^body: must be an object$/);
    const longReason = await t.call('POST', '/api/apps/vibration/actions/rebaseline', {
      json: { asset: 'pump-1', reason: 'x'.repeat(501) },
    });
    assert.equal(longReason.status, 400);
    assert.match(longReason.text, /body\.reason: must be a text of at most 500 characters/);
    assert.equal((await t.call('POST', '/api/apps/vibration/actions/explode', { json: {} })).status, 404);
    assert.equal((await t.call('POST', '/api/apps/vibration/stop')).status, 200);
    const stopped = await t.call('POST', '/api/apps/vibration/actions/rebaseline', { json: { asset: 'pump-1' } });
    assert.equal(stopped.status, 409, stopped.text);
  });
});
