import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { outputIris } from '../src/data-apps/output.publisher.js';
import { HEALTHY_PUMP } from '../src/data-apps/vibration/simulator/pump-signal.generator.js';
import { PlcSimulator } from '../src/data-apps/vibration/simulator/plc.simulator.js';
import { startConnectorProcess, type ConnectorProcess } from './support/connector.process.js';
import { freePort } from './support/free-port.js';
import { send } from './support/http.client.js';
import { HttpReceiver } from './support/http-receiver.server.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { PulseApp } from './support/test-data-apps.js';
import { keyPaths, readmeExamples } from './support/readme.examples.js';
import { TestDaps } from './support/test-daps.server.js';
import { TestNgsiLdBroker } from './support/test-ngsi-ld.server.js';
import { pulses } from './support/pulse.helper.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { negotiate } from './support/usage.fixtures.js';
import { fastVibrationConfig } from './support/vibration.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;
const FAST = {
  FEP_SERVICE_POLL_MS: '100',
  FEP_SERVICE_RETRY_MAX_MS: '300',
  FEP_DELIVERY_RETRY_MAX_MS: '300',
  // Both nodes are on 127.0.0.1: a subscriber's location is then a loopback address.
  FEP_DELIVERY_ALLOW_PRIVATE_ADDRESSES: 'true',
};

describe('delivery outages: a subscriber down then back gets everything, in order, once (e2e)', () => {
  let daps: TestDaps;
  let parties: Record<string, Party>;
  let caFile: string;
  let provider: TestApp;
  let consumer: TestApp;

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer']);
    ({ parties, caFile } = pki);
    for (const party of Object.values(parties)) register(daps, party);
    provider = await startTestApp(omejdnEnv(parties['provider'], caFile, daps, FAST), { dataApps: [PulseApp] });
    consumer = await startTestApp(omejdnEnv(parties['consumer'], caFile, daps, FAST));
  });
  after(async () => {
    await consumer.close();
    await provider.close();
    await daps.stop();
  });

  it('pushes made while the consumer is down arrive when it is back, in order, none twice', async () => {
    await pulses(provider, 3);
    const iris = outputIris(provider.config.connector.id, 'pulse', 'pulses');
    const resource = ((await provider.call('GET', '/api/resources?size=100')).json<Json>().items as Json[]).find(
      (r) => r.iri === iris.resource,
    )!;
    const offer = (await provider.call('GET', `/api/contract-offers?resourceId=${resource.id}`)).json<Json>().items[0];
    await negotiate(consumer, provider, offer);
    const port = Number(new URL(consumer.baseUrl).port);
    const subscribed = await consumer.call('POST', '/api/consumer/subscriptions', {
      json: { recipient: `${provider.baseUrl}/data`, target: iris.artifact, pushData: true, location: `${consumer.baseUrl}/data` },
    });
    assert.equal(subscribed.status, 201, subscribed.text);
    const received = async (app: TestApp): Promise<number[]> => {
      const items = (await app.call('GET', '/api/consumer/notifications?size=200')).json<Json>().items as Json[];
      const values: number[] = [];
      for (const n of items) {
        values.push((await app.call('GET', `/api/consumer/artifacts/${n.receivedArtifactId}/data`)).json<Json>().value.n);
      }
      return values;
    };
    await pulses(provider, 3);
    await waitFor('three pushes', async () => (await received(consumer)).length === 3);

    // The consumer goes away (its files kept, for the restart); six more values are made meanwhile.
    await consumer.stop();
    await pulses(provider, 6);
    const sub = ((await provider.call('GET', '/api/subscriptions')).json<Json>().items as Json[])[0];
    await waitFor('the provider failing to deliver', async () => {
      const row = (await provider.call('GET', `/api/subscriptions/${sub.id}`)).json<Json>();
      return row.failingSince !== null && row.pending === 6;
    });
    consumer = await startTestApp(omejdnEnv(parties['consumer'], caFile, daps, FAST), { restartOf: consumer, port });
    await waitFor('all nine', async () => (await received(consumer)).length >= 9, 20_000);
    assert.deepEqual(await received(consumer), [1, 2, 3, 1, 2, 3, 4, 5, 6]);
    const row = (await provider.call('GET', `/api/subscriptions/${sub.id}`)).json<Json>();
    assert.equal(row.delivered, 9);
    assert.equal(row.failingSince, null);
    assert.equal(row.pending, 0);
  });
});

describe('webhooks and the NGSI-LD broker against local servers, receivers down (e2e)', () => {
  let provider: TestApp;
  let hook: HttpReceiver;
  let broker: TestNgsiLdBroker;
  let sim: PlcSimulator;

  before(async () => {
    hook = await HttpReceiver.start();
    broker = await TestNgsiLdBroker.start();
    sim = new PlcSimulator({ port: await freePort(), seed: 5, model: HEALTHY_PUMP });
    await sim.start();
    provider = await startTestApp(
      {
        ...FAST,
        FEP_DELIVERY_SUSPEND_AFTER_S: '2',
        FEP_NGSI_LD_URL: broker.url,
        FEP_NGSI_LD_TENANT: 'plant-7',
        FEP_NGSI_LD_TOKEN: 'broker-token',
      },
      { dataApps: [PulseApp] },
    );
  });
  after(async () => {
    await provider.close();
    await sim.stop();
    await broker.stop();
    await hook.stop();
  });

  it('a webhook gets a POST per change with the data and DSC’s headers; down for longer than the limit it is suspended, visibly, and resumed', async () => {
    await pulses(provider, 0);
    const iris = outputIris(provider.config.connector.id, 'pulse', 'pulses');
    const created = await provider.call('POST', '/api/subscriptions', {
      json: { target: iris.artifact, location: `${hook.url}/hvac`, pushData: true, subscriber: 'urn:plant:hvac' },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.json<Json>().id;
    await pulses(provider, 2);
    await waitFor('two POSTs', () => hook.json('/hvac').length === 2);
    const [first] = hook.received;
    assert.equal(first.headers['content-type'], 'application/json');
    assert.equal(first.headers['ids-event'], 'UPDATED');
    assert.equal(first.headers['ids-target'], iris.artifact);
    assert.deepEqual(
      hook.json('/hvac').map((b) => [b.event, b.kind, b.resource, b.data.value.n]),
      [
        ['UPDATED', 'data', iris.resource, 1],
        ['UPDATED', 'data', iris.resource, 2],
      ],
    );
    assert.equal(first.headers['fep-delivery'], hook.json('/hvac')[0].delivery);
    // What the README documents is what is sent.
    const paths = (o: unknown): string[] => keyPaths(o).filter((k) => !k.startsWith('data.value.'));
    assert.deepEqual(paths(hook.json('/hvac')[0]), paths(readmeExamples().get('webhook-body')));

    // Down: deliveries are retried, then the subscription is suspended (FEP_DELIVERY_SUSPEND_AFTER_S=2).
    await hook.stop();
    await pulses(provider, 3);
    const suspended = await waitFor(
      'suspended',
      async () => {
        const row = (await provider.call('GET', `/api/subscriptions/${id}`)).json<Json>();
        return row.state === 'suspended' ? row : undefined;
      },
      15_000,
    );
    assert.match(suspended.reason, /no delivery succeeded since .*ECONNREFUSED|no delivery succeeded since/);
    assert.equal(suspended.pending, 3, 'what changed meanwhile waits');
    await hook.start();
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(hook.json('/hvac').length, 2, 'a suspended subscription is not delivered to');
    const resumed = await provider.call('POST', `/api/subscriptions/${id}/resume`);
    assert.equal(resumed.status, 200, resumed.text);
    await waitFor('the three that waited', () => hook.json('/hvac').length === 5);
    assert.deepEqual(
      hook.json('/hvac').map((b) => b.data.value.n),
      [1, 2, 1, 2, 3],
    );
    assert.equal(new Set(hook.json('/hvac').map((b) => b.delivery)).size, 5);
  });

  it('publishes the pump to the NGSI-LD broker as entities, retried in order while the broker is down, never holding the app', async () => {
    await broker.stop();
    assert.equal((await provider.call('PUT', '/api/apps/vibration/config', { json: fastVibrationConfig(sim.port) })).status, 200);
    assert.equal((await provider.call('POST', '/api/apps/vibration/start')).json<Json>().state, 'running');
    await waitFor('condition values while the broker is down', async () => {
      const view = (await provider.call('GET', '/api/apps/vibration/outputs/condition')).json<Json>();
      return view.history.length >= 2;
    });
    assert.equal((await provider.call('GET', '/api/apps/vibration')).json<Json>().state, 'running', 'the app runs on');
    await broker.start();
    sim.inject({ unbalance: HEALTHY_PUMP.unbalance * 4 });
    const pump = await waitFor(
      'the pump entity with its zone',
      () => [...broker.entities.values()].find((e) => e.type === 'Pump' && e.vibrationZone !== undefined),
      20_000,
    );
    assert.match(pump.id, /^urn:ngsi-ld:Pump:.+:pump-1$/);
    assert.equal(pump.vibrationZone.type, 'Property');
    assert.match(pump.vibrationZone.observedAt, /^\d{4}-\d\d-\d\dT/);
    const alert = await waitFor(
      'a maintenance event as an Alert',
      () => [...broker.entities.values()].find((e) => e.type === 'Alert'),
      20_000,
    );
    assert.equal(alert.category, undefined, 'no category outside dataModel.Alert’s enumeration');
    assert.ok(['informational', 'low', 'medium', 'high', 'critical'].includes(alert.severity.value));
    assert.equal(alert.dateIssued.value['@type'], 'DateTime');
    assert.equal(typeof alert.data.value.kind, 'string');
    assert.doesNotMatch(pump.id, /\/|%2F/i, 'no slash in an entity id, encoded or not');
    assert.equal(alert.refPump.object, pump.id);
    assert.deepEqual(broker.problems, [], 'every request met the API’s rules');
    const request = broker.received.find((r) => r.path.startsWith('/ngsi-ld/v1/entityOperations/upsert'))!;
    assert.equal(request.headers['ngsild-tenant'], 'plant-7');
    assert.equal(request.headers['authorization'], 'Bearer broker-token');
    const row = ((await provider.call('GET', '/api/subscriptions')).json<Json>().items as Json[]).find((s) => s.channel === 'ngsi-ld')!;
    assert.equal(row.state, 'active', 'the broker is retried, never suspended');
    await provider.call('POST', '/api/apps/vibration/stop');
  });
});

describe('delivery across kill -9: deliveries pending at the kill go out after the restart (e2e, a process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-delivery-kill-'));
  let connector: ConnectorProcess | undefined;
  let hook: HttpReceiver;
  const ADMIN = { authorization: 'Basic ' + Buffer.from('admin:kill-test').toString('base64') };

  before(async () => {
    hook = await HttpReceiver.start();
  });
  after(async () => {
    await connector?.stop();
    await hook.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 with five deliveries pending; after the restart the receiver gets all five, in order', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      FEP_TLS: 'false',
      FEP_PUBLIC_URL: base,
      FEP_DATA_DIR: join(dir, 'data'),
      FEP_CERTS_DIR: join(dir, 'certs'),
      FEP_ADMIN_PASSWORD: 'kill-test',
      FEP_DAPS_MODE: 'disabled',
      ...FAST,
    };
    const start = (): Promise<ConnectorProcess> =>
      startConnectorProcess(env, join(dir, 'certs'), '', join('test', 'support', 'plugin-connector.main.js'));
    connector = await start();
    const admin = async (method: string, path: string, json?: unknown): Promise<Json> => {
      const r = await send(method, base + path, {
        headers: { ...ADMIN, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
      return r.status === 204 ? {} : r.json<Json>();
    };
    await admin('PUT', '/api/apps/pulse/config', { everyMs: 30, count: 0 });
    await admin('POST', '/api/apps/pulse/start');
    const iris = outputIris(`${base}/`, 'pulse', 'pulses');
    const sub = await admin('POST', '/api/subscriptions', { target: iris.artifact, location: `${hook.url}/maintenance`, pushData: true });
    await hook.stop();
    await admin('PUT', '/api/apps/pulse/config', { everyMs: 30, count: 5 });
    await waitFor('five deliveries pending', async () => (await admin('GET', `/api/subscriptions/${sub.id}`)).pending === 5);
    await admin('POST', '/api/apps/pulse/stop');
    connector.child.kill('SIGKILL');
    await new Promise((r) => connector!.child.once('exit', r));
    connector = await start();
    await hook.start();
    await waitFor('all five after the restart', () => new Set(hook.json('/maintenance').map((b) => b.delivery)).size === 5, 20_000);
    const unique = [...new Map(hook.json('/maintenance').map((b) => [b.delivery, b])).values()];
    assert.deepEqual(
      unique.map((b) => b.data.value.n),
      [1, 2, 3, 4, 5],
    );
  });
});
