import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { outputIris } from '../src/data-apps/output.publisher.js';
import { HEALTHY_PUMP } from '../src/data-apps/vibration/simulator/pump-signal.generator.js';
import { PlcSimulator } from '../src/data-apps/vibration/simulator/plc.simulator.js';
import { freePort } from './support/free-port.js';
import { HttpReceiver } from './support/http-receiver.server.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { TestClearingHouse } from './support/test-clearing-house.server.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { negotiate } from './support/usage.fixtures.js';
import { fastVibrationConfig } from './support/vibration.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/**
 * Results delivery between two connectors: the consumer subscribes at the provider (the Dataspace Connector's
 * ids:RequestMessage), a fault injected into the PLC simulator becomes a maintenance event that is pushed to the
 * consumer under the agreement's policy (N_TIMES_USAGE stops the pushes after n), with both sides' usage log and
 * clearing-house records; metadata notifications, unsubscribe and refusals.
 */
describe('results delivery: IDS subscriptions with push under usage control (e2e)', () => {
  let daps: TestDaps;
  let ch: TestClearingHouse;
  let parties: Record<string, Party>;
  let sim: PlcSimulator;
  let provider: TestApp;
  let consumer: TestApp;
  let backend: HttpReceiver;

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer', 'clearinghouse']);
    parties = pki.parties;
    for (const party of Object.values(parties)) register(daps, party);
    ch = await TestClearingHouse.start(daps, parties['clearinghouse']);
    sim = new PlcSimulator({ port: await freePort(), seed: 11, model: HEALTHY_PUMP });
    await sim.start();
    backend = await HttpReceiver.start();
    const services = {
      FEP_CLEARING_HOUSE_URL: ch.url,
      FEP_SERVICE_POLL_MS: '100',
      FEP_SERVICE_RETRY_MAX_MS: '300',
      FEP_DELIVERY_RETRY_MAX_MS: '300',
      // Both nodes are on 127.0.0.1: a subscriber's location is then a loopback address.
      FEP_DELIVERY_ALLOW_PRIVATE_ADDRESSES: 'true',
    };
    provider = await startTestApp(omejdnEnv(parties['provider'], pki.caFile, daps, services));
    consumer = await startTestApp(omejdnEnv(parties['consumer'], pki.caFile, daps, services));
  });
  after(async () => {
    await consumer.close();
    await provider.close();
    await backend.stop();
    await sim.stop();
    await ch.stop();
    await daps.stop();
  });

  const subscribe = (json: Json): ReturnType<TestApp['call']> =>
    consumer.call('POST', '/api/consumer/subscriptions', {
      json: { recipient: `${provider.baseUrl}/data`, location: `${consumer.baseUrl}/data`, ...json },
    });
  const notifications = async (): Promise<Json[]> =>
    (await consumer.call('GET', '/api/consumer/notifications?size=200')).json<Json>().items;

  it('a PLC fault reaches the subscribed consumer as a pushed maintenance event within seconds; N_TIMES stops the pushes after n', async () => {
    assert.equal((await provider.call('PUT', '/api/apps/vibration/config', { json: fastVibrationConfig(sim.port) })).status, 200);
    assert.equal((await provider.call('POST', '/api/apps/vibration/start')).json<Json>().state, 'running');
    await waitFor('zone A', async () => {
      const pump = (await provider.call('GET', '/api/apps/vibration/outputs/condition')).json<Json>().current['pump-1']?.value;
      return pump?.channels['drive-end'].zone === 'A';
    });
    // The events output under N_TIMES_USAGE (1) + USAGE_LOGGING, negotiated by the consumer.
    const iris = outputIris(provider.config.connector.id, 'vibration', 'events');
    const resource = ((await provider.call('GET', '/api/resources?size=100')).json<Json>().items as Json[]).find(
      (r) => r.iri === iris.resource,
    )!;
    const built = await provider.call('POST', '/api/policies/offers', {
      json: { target: iris.artifact, patterns: [{ pattern: 'N_TIMES_USAGE', parameters: { count: '1' } }, { pattern: 'USAGE_LOGGING' }] },
    });
    assert.equal(built.status, 200, built.text);
    const offer = (
      await provider.call('POST', '/api/contract-offers', { json: { resourceId: resource.id, offer: built.json() } })
    ).json<Json>();
    const agreement = await negotiate(consumer, provider, offer);

    const subscribed = await subscribe({
      target: iris.artifact,
      pushData: true,
      webhook: `${backend.url}/maintenance`,
      title: 'pump events',
    });
    assert.equal(subscribed.status, 201, subscribed.text);
    const mine = subscribed.json<Json>();
    assert.equal(mine.peer, parties['provider'].connectorId);
    const theirs = (await provider.call('GET', '/api/subscriptions')).json<Json>().items as Json[];
    assert.equal(theirs.length, 1);
    assert.equal(theirs[0].channel, 'ids');
    assert.equal(theirs[0].subscriber, parties['consumer'].connectorId, 'the subscriber is the checked ids:issuerConnector');
    assert.equal(theirs[0].agreementIri, agreement.iri, 'pushes are uses under the consumer’s agreement');
    assert.equal(theirs[0].title, 'pump events');

    const injected = Date.now();
    sim.inject({ unbalance: HEALTHY_PUMP.unbalance * 4 });
    const pushed = await waitFor(
      'a pushed maintenance event at the consumer',
      async () => (await notifications()).find((n) => n.receivedArtifactId !== null),
      20_000,
    );
    const latency = Date.now() - injected;
    assert.ok(latency < 20_000, `the fault reached the consumer in ${latency} ms`);
    assert.equal(pushed.artifactIri, iris.artifact);
    assert.equal(pushed.agreementIri, agreement.iri);
    const data = await consumer.call('GET', `/api/consumer/artifacts/${pushed.receivedArtifactId}/data`);
    assert.equal(data.status, 200, data.text);
    const event = data.json<Json>();
    assert.equal(event.app, 'vibration');
    assert.equal(event.output, 'events');
    assert.equal(event.value.asset, 'pump-1');
    // The consumer's local backend learnt of it.
    const told = await waitFor('the consumer’s backend told', () =>
      backend.json('/maintenance').find((b) => b.data?.receivedArtifactId === pushed.receivedArtifactId),
    );
    assert.equal(told.kind, 'notification');
    assert.equal(backend.received[0].headers['ids-event'], 'UPDATED');

    // Back to healthy: more events (the zone comes down), but the one use is spent: those pushes are denied.
    sim.inject({ unbalance: HEALTHY_PUMP.unbalance });
    const denied = await waitFor(
      'a denied push',
      async () => {
        const row = (await provider.call('GET', `/api/subscriptions/${theirs[0].id}`)).json<Json>();
        return row.denied > 0 ? row : undefined;
      },
      40_000,
    );
    assert.match(denied.reason, /push denied .*N_TIMES_USAGE/);
    const deliveries = (await provider.call('GET', `/api/subscriptions/${theirs[0].id}/deliveries?size=200`)).json<Json>().items as Json[];
    assert.equal(deliveries.filter((d) => d.status === 'delivered').length, 1, 'one push, the one use');
    assert.ok(deliveries.some((d) => d.status === 'denied' && /N_TIMES_USAGE/.test(d.lastError)));
    assert.equal((await notifications()).filter((n) => n.receivedArtifactId !== null).length, 1, 'a denied push is not sent');

    // The policy decided each push; both sides' transfers are on record at the clearing house.
    const log = (await provider.call('GET', `/api/usage/log?agreement=${encodeURIComponent(agreement.iri)}`)).json<Json>().items as Json[];
    assert.deepEqual(log[0].permitted, true);
    assert.ok(
      log.some((e) => e.permitted === false),
      'the denials are logged',
    );
    const pid = agreement.iri.split('/').pop();
    for (const [party, type] of [
      ['provider', 'ids:ResourceUpdateMessage'],
      ['consumer', 'ids:ResourceUpdateMessage'],
    ] as const) {
      await waitFor(`the ${party}'s record of the push`, () =>
        ch.log.find((e) => e.pid === pid && e.by === parties[party].clientId && e.payload['message']['@type'] === type),
      );
    }
    await provider.call('POST', '/api/apps/vibration/stop');
  });

  it('without pushData, a change of the resource’s description is notified with the description; unsubscribing ends it', async () => {
    const iris = outputIris(provider.config.connector.id, 'vibration', 'condition');
    const subscribed = await subscribe({ target: iris.resource, pushData: false });
    assert.equal(subscribed.status, 201, subscribed.text);
    const before = (await notifications()).length;
    const resource = ((await provider.call('GET', '/api/resources?size=100')).json<Json>().items as Json[]).find(
      (r) => r.iri === iris.resource,
    )!;
    const patched = await provider.call('PATCH', `/api/resources/${resource.id}`, { json: { description: 'Pump condition, updated' } });
    assert.equal(patched.status, 200, patched.text);
    const note = await waitFor('a metadata notification', async () =>
      (await notifications()).slice(before).find((n) => n.resourceIri === iris.resource),
    );
    assert.equal(note.receivedArtifactId, null, 'no data without pushData');
    const id = subscribed.json<Json>().id;
    assert.equal((await consumer.call('DELETE', `/api/consumer/subscriptions/${id}`)).status, 204);
    const theirs = (await provider.call('GET', '/api/subscriptions')).json<Json>().items as Json[];
    assert.ok(!theirs.some((s) => s.target === iris.resource), 'the provider forgot it');
    assert.equal((await consumer.call('GET', `/api/consumer/subscriptions/${id}`)).status, 404);
  });

  it('refuses pushData without an agreement (NOT_AUTHORIZED), on a resource, an unknown target, and broken input', async () => {
    const iris = outputIris(provider.config.connector.id, 'vibration', 'condition');
    const noAgreement = await subscribe({ target: iris.artifact, pushData: true });
    assert.equal(noAgreement.status, 403, noAgreement.text);
    assert.match(noAgreement.json<Json>().message, /NOT_AUTHORIZED.*no contract agreement/);
    const onResource = await subscribe({ target: iris.resource, pushData: true });
    assert.equal(onResource.status, 502, onResource.text);
    assert.match(onResource.json<Json>().message, /BAD_PARAMETERS.*subscribe to an artifact/);
    const unknown = await subscribe({ target: 'https://nowhere.example/x', pushData: false });
    assert.match(unknown.json<Json>().message, /NOT_FOUND/);
    const broken = await consumer.call('POST', '/api/consumer/subscriptions', {
      json: { recipient: 'ftp://x', target: 'nope', pushData: 'yes' },
    });
    assert.equal(broken.status, 400, broken.text);
    const webhook = await provider.call('POST', '/api/subscriptions', {
      json: { target: 'urn:not:here', location: 'http://127.0.0.1:1/hook' },
    });
    assert.equal(webhook.status, 404, webhook.text);
    assert.equal((await provider.call('GET', '/api/subscriptions', { admin: false })).status, 401, 'the admin API is authenticated');
  });
});
