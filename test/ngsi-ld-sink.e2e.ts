import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HEALTHY_PUMP } from '../src/data-apps/vibration/simulator/pump-signal.generator.js';
import { PlcSimulator } from '../src/data-apps/vibration/simulator/plc.simulator.js';
import { freePort } from './support/free-port.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TestNgsiLdBroker } from './support/test-ngsi-ld.server.js';
import { fastVibrationConfig } from './support/vibration.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/**
 * #26 point 9: a condition published before the first zone judgement carried `"vibrationZone": {"value": null}`,
 * which ETSI GS CIM 009 forbids (Orion-LD answers 400); the channel retried every answer but 201/204 in order,
 * forever, so one refused entity held every later output behind it while the subscription said `active` and
 * readiness `ok`.
 */
describe('the NGSI-LD broker as a sink: no nulls, dead letters, and readiness when it stops taking (e2e)', () => {
  let provider: TestApp;
  let broker: TestNgsiLdBroker;
  let sim: PlcSimulator;

  before(async () => {
    broker = await TestNgsiLdBroker.start();
    sim = new PlcSimulator({ port: await freePort(), seed: 9, model: HEALTHY_PUMP });
    await sim.start();
    provider = await startTestApp({
      FEP_SERVICE_POLL_MS: '100',
      FEP_DELIVERY_RETRY_MAX_MS: '300',
      FEP_DELIVERY_DEGRADED_AFTER_S: '2',
      FEP_NGSI_LD_URL: broker.url,
    });
  });
  after(async () => {
    await provider.close();
    await sim.stop();
    await broker.stop();
  });

  const row = async (): Promise<Json> =>
    ((await provider.call('GET', '/api/subscriptions')).json<Json>().items as Json[]).find((s) => s.channel === 'ngsi-ld')!;

  it('sends no null, keeps what the broker refuses as dead letters with its answer, and goes on', async () => {
    broker.refuseTypes.add('Alert');
    assert.equal((await provider.call('PUT', '/api/apps/vibration/config', { json: fastVibrationConfig(sim.port) })).status, 200);
    assert.equal((await provider.call('POST', '/api/apps/vibration/start')).json<Json>().state, 'running');
    await waitFor('the pump entity', () => [...broker.entities.values()].find((e) => e.type === 'Pump'));
    sim.inject({ unbalance: HEALTHY_PUMP.unbalance * 4 });
    const dead = await waitFor(
      'a dead letter',
      async () => {
        const s = await row();
        return s.deadLetters > 0 ? s : undefined;
      },
      20_000,
    );
    assert.match(dead.reason, /dead letter at .*the broker refused the entities \(HTTP 400\).*Alert/);
    const deliveries = (await provider.call('GET', `/api/subscriptions/${dead.id}/deliveries?size=200`)).json<Json>().items as Json[];
    const letter = deliveries.find((d) => d.status === 'dead')!;
    assert.match(letter.lastError, /entities of type Alert are refused here/, 'the broker’s answer is kept');
    // Later outputs are not held behind it: the pump keeps being updated, and nothing is left pending for long.
    const seen = broker.received.length;
    await waitFor('more upserts after the dead letter', () => broker.received.length > seen + 2);
    assert.ok((await row()).pending < 5);
    assert.ok(
      !broker.problems.some((p) => /null/.test(p)),
      `no null was sent: ${broker.problems.filter((p) => /null/.test(p)).join('; ')}`,
    );
    const metrics = (await provider.call('GET', '/metrics')).text;
    assert.match(metrics, /^fep_deliveries_total\{channel="ngsi-ld",outcome="dead"\} [1-9]\d*$/m);
    assert.equal((await provider.call('GET', '/health/ready', { admin: false })).json<Json>().details.delivery.status, 'up');
  });

  it('a broker that stops taking entities makes readiness degraded, naming it, until it takes them again', async () => {
    await broker.stop();
    const degraded = await waitFor(
      'readiness degraded',
      async (): Promise<Json | undefined> => {
        const res = await provider.call('GET', '/health/ready', { admin: false });
        const ready = res.json<Json>();
        return ready.details.delivery.status === 'degraded' ? { ...ready, http: res.status } : undefined;
      },
      20_000,
    );
    assert.equal(degraded.http, 200, 'degraded is still ready');
    const stale = degraded.details.delivery.stale as Json[];
    assert.equal(stale[0].channel, 'ngsi-ld');
    assert.equal(stale[0].location, broker.url);
    assert.ok(stale[0].pending > 0);
    await broker.start();
    await waitFor(
      'readiness up again',
      async () => {
        const ready = (await provider.call('GET', '/health/ready', { admin: false })).json<Json>();
        return ready.details.delivery.status === 'up';
      },
      20_000,
    );
    await provider.call('POST', '/api/apps/vibration/stop');
  });
});
