import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { outputIris } from '../src/data-apps/output.publisher.js';
import { DeliveryRepository } from '../src/delivery/delivery.repository.js';
import { HttpReceiver } from './support/http-receiver.server.js';
import { pulses } from './support/pulse.helper.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PulseApp } from './support/test-data-apps.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/** A port that accepts connections and never answers: a subscriber gone silent. */
class SilentServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/**
 * Hardening round 3, finding 2: the worker read the 500 oldest pending deliveries of all subscriptions; once silent
 * subscribers held 500 of them no other subscriber was ever served and the worker looped at about 100 % of a core,
 * and a silent target delayed every other subscriber by its full timeout.
 */
describe('delivery fairness: silent subscribers never hold up the others (e2e)', () => {
  let t: TestApp;
  let hook: HttpReceiver;
  const silent: SilentServer[] = [];

  before(async () => {
    t = await startTestApp(
      {
        FEP_SERVICE_POLL_MS: '100',
        FEP_DELIVERY_RETRY_MAX_MS: '300',
        FEP_DELIVERY_TIMEOUT_MS: '10000',
        FEP_DELIVERY_CONCURRENCY: '8',
      },
      { dataApps: [PulseApp] },
    );
    hook = await HttpReceiver.start();
    for (let i = 0; i < 15; i++) {
      const server = new SilentServer();
      await server.start();
      silent.push(server);
    }
  });
  after(async () => {
    await t.close();
    await hook.stop();
    for (const server of silent) await server.stop();
  });

  it('with 15 silent webhooks holding 600 deliveries, a healthy one gets its 20 in order within seconds, and the worker idles', async () => {
    await pulses(t, 0);
    const iris = outputIris(t.config.connector.id, 'pulse', 'pulses');
    for (const server of silent) {
      const created = await t.call('POST', '/api/subscriptions', {
        json: { target: iris.artifact, location: `http://127.0.0.1:${server.port}/hook`, pushData: true },
      });
      assert.equal(created.status, 201, created.text);
    }
    await pulses(t, 40, 10);
    const created = await t.call('POST', '/api/subscriptions', {
      json: { target: iris.artifact, location: `${hook.url}/healthy`, pushData: true },
    });
    assert.equal(created.status, 201, created.text);
    const started = Date.now();
    await pulses(t, 20, 10);
    await waitFor('the healthy webhook’s 20 deliveries', () => hook.json('/healthy').length === 20, 8000);
    const took = Date.now() - started;
    assert.deepEqual(
      hook.json('/healthy').map((b) => b.data.value.n),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    // No spinning while the silent ones wait for their timeouts and retries: the worker reads the due heads and returns.
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const used = process.cpuUsage(cpu);
    const share = (used.user + used.system) / 1000 / 2000;
    assert.ok(share < 0.35, `the process used ${(share * 100).toFixed(0)} % of a core while deliveries waited`);
    const subscriptions = (await t.call('GET', '/api/subscriptions?size=50')).json<Json>().items as Json[];
    const waiting = subscriptions.filter((s) => s.location.endsWith('/hook')).reduce((n, s) => n + s.pending, 0);
    assert.ok(waiting >= 15 * 59, `the silent subscribers' deliveries are kept (${waiting} pending)`);
    console.log(
      `# healthy subscriber served in ${took} ms behind ${waiting} pending for 15 silent ones; CPU ${(share * 100).toFixed(0)} % while waiting`,
    );
  });
});

describe('delivery bounds: pending per subscription, and retention (e2e)', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp(
      { FEP_SERVICE_POLL_MS: '100', FEP_DELIVERY_RETRY_MAX_MS: '300', FEP_DELIVERY_MAX_PENDING: '10' },
      { dataApps: [PulseApp] },
    );
  });
  after(() => t.close());

  it('a subscriber that is down keeps at most FEP_DELIVERY_MAX_PENDING waiting: the oldest are dropped, counted and visible', async () => {
    await pulses(t, 0);
    const iris = outputIris(t.config.connector.id, 'pulse', 'pulses');
    const dead = new HttpReceiver();
    await dead.start();
    const url = dead.url;
    await dead.stop();
    const created = await t.call('POST', '/api/subscriptions', {
      json: { target: iris.artifact, location: `${url}/down`, pushData: true },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.json<Json>().id;
    await pulses(t, 30, 10);
    const row = (await t.call('GET', `/api/subscriptions/${id}`)).json<Json>();
    assert.ok(row.pending <= 10, `pending ${row.pending}`);
    assert.equal(row.pending + row.dropped, 30);
    const deliveries = (await t.call('GET', `/api/subscriptions/${id}/deliveries?size=50`)).json<Json>();
    const dropped = (deliveries.items as Json[]).filter((d) => d.status === 'dropped');
    assert.equal(dropped.length, row.dropped);
    assert.match(dropped[0].lastError, /FEP_DELIVERY_MAX_PENDING/);
    const metrics = (await t.call('GET', '/metrics')).text;
    assert.match(metrics, new RegExp(`fep_deliveries_total\\{channel="webhook",outcome="overflow"\\} ${row.dropped}`));
    // What is kept is the newest, and the head that was already on its way.
    const kept = (deliveries.items as Json[]).filter((d) => d.status === 'pending').map((d) => JSON.parse(d.body).value.n as number);
    assert.ok(kept.includes(30) && kept.includes(1), `kept ${kept.join(',')}`);
  });

  it('finished deliveries are removed past the retention age, and beyond the newest FEP_DELIVERY_KEEP_DONE per subscription', async () => {
    const hook = await HttpReceiver.start();
    try {
      await pulses(t, 0);
      const iris = outputIris(t.config.connector.id, 'pulse', 'pulses');
      const created = await t.call('POST', '/api/subscriptions', {
        json: { target: iris.artifact, location: `${hook.url}/ok`, pushData: true },
      });
      const id = created.json<Json>().id;
      await pulses(t, 8, 10);
      await waitFor('8 delivered', () => hook.json('/ok').length === 8);
      const repository = t.app.get(DeliveryRepository);
      const total = async (): Promise<number> => (await t.call('GET', `/api/subscriptions/${id}/deliveries`)).json<Json>().total as number;
      await waitFor('the last one settled', async () => (await total()) === 8);
      assert.ok((await repository.retain(new Date(), 3_600_000, 5)) >= 3);
      assert.equal(await total(), 5, 'the newest 5 are kept');
      await repository.retain(new Date(Date.now() + 2 * 3_600_000), 3_600_000, 1000);
      assert.equal(await total(), 0, 'none is kept past the age');
    } finally {
      await hook.stop();
    }
  });
});
