import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send } from './support/http.client.js';
import { offerArtifact } from './support/ids.fixtures.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { TestBroker } from './support/test-broker.server.js';
import { TestClearingHouse } from './support/test-clearing-house.server.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { fetchArtifact, negotiate } from './support/usage.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;
const RESOURCES = 'PREFIX ids: <https://w3id.org/idsa/core/> SELECT ?connector ?resource WHERE { ?connector ids:resourceCatalog ?catalog . ?catalog ids:offeredResource ?resource }';

describe('Metadata Broker and Clearing House: two connectors, test broker and clearing house over IDS multipart with DATs (e2e)', () => {
  let daps: TestDaps;
  let broker: TestBroker;
  let ch: TestClearingHouse;
  let parties: Record<string, Party>;
  let caFile: string;
  let provider: TestApp;
  let consumer: TestApp;

  const env = (name: string): Record<string, string> =>
    omejdnEnv(parties[name], caFile, daps, { FEP_BROKER_URL: broker.endpoint, FEP_CLEARING_HOUSE_URL: ch.url, FEP_SERVICE_POLL_MS: '100', FEP_SERVICE_RETRY_MAX_MS: '400' });

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer', 'broker', 'clearinghouse', 'late']);
    ({ parties, caFile } = pki);
    for (const party of Object.values(parties)) register(daps, party);
    broker = await TestBroker.start(daps, parties['broker']);
    ch = await TestClearingHouse.start(daps, parties['clearinghouse']);
    [provider, consumer] = await Promise.all([startTestApp(env('provider')), startTestApp(env('consumer'))]);
  });
  after(async () => {
    await consumer?.close();
    await provider?.close();
    await broker.stop();
    await ch.stop();
    await daps.stop();
  });

  it('both connectors register on start; the status shows it; a SPARQL query through the consumer finds the provider', async () => {
    await waitFor('both registrations', () => broker.connectors.has(provider.config.connector.id) && broker.connectors.has(consumer.config.connector.id));
    const update = broker.messages('ids:ConnectorUpdateMessage').find((m) => m.header['ids:issuerConnector']['@id'] === provider.config.connector.id)!;
    assert.equal(JSON.parse(update.payload!)['@id'], provider.config.connector.id, "the payload's @id is the issuerConnector");
    const status = await waitFor('status', async () => {
      const s = (await provider.call('GET', '/api/broker/status')).json<Json>();
      return s.registered && s.lastSuccess ? s : undefined;
    });
    assert.match(status.location, /\/connectors\//);
    assert.equal(status.lastError, null);
    const offered = await offerArtifact(provider, Buffer.from('{"occupancy":12}'));
    await waitFor('the catalog change at the broker', () => JSON.stringify(broker.connectors.get(provider.config.connector.id)?.description ?? {}).includes(offered.resource.iri));
    const answer = await consumer.call('POST', '/api/broker/query', { json: { query: RESOURCES } });
    assert.equal(answer.status, 200, answer.text);
    assert.ok(answer.text.includes(`<${offered.resource.iri}>`), answer.text);
    assert.ok(answer.text.includes(`<${provider.config.connector.id}>`));
  });

  it("TRUE's /selfRegistration paths: query with the SPARQL text as body, passivate, register again", async () => {
    const query = await send('POST', `${consumer.baseUrl}/api/selfRegistration/query`, { headers: { ...consumer.auth, 'content-type': 'text/plain' }, body: RESOURCES, ca: consumer.identity.chainPems.join('\n') });
    assert.equal(query.status, 200, query.text);
    assert.match(query.text, /\?connector\t\?resource/);
    assert.equal((await consumer.call('POST', '/selfRegistration/passivate')).status, 200);
    assert.equal(broker.connectors.get(consumer.config.connector.id)?.active, false);
    assert.equal((await consumer.call('POST', '/api/selfRegistration/register')).status, 200);
    assert.equal(broker.connectors.get(consumer.config.connector.id)?.active, true);
    const resource = (await provider.call('GET', '/api/resources')).json<Json>().items[0];
    const update = await provider.call('POST', '/api/broker/resources/update', { json: { resource: resource.iri } });
    assert.equal(update.status, 200, update.text);
    assert.equal(broker.resourceUpdates.at(-1)!['ids:affectedResource']['@id'], resource.iri);
    assert.equal((await provider.call('POST', '/api/broker/query', { json: { query: 'DELETE WHERE { ?s ?p ?o }' } })).status, 502);
  });

  it('every agreement and transfer is logged by both sides under the agreement UUID, after the process with both owners', async () => {
    const offered = await offerArtifact(provider, Buffer.from('{"pump":"P-7","vibration_rms":0.42}'));
    const agreement = await negotiate(consumer, provider, offered.offer);
    assert.equal((await fetchArtifact(consumer, provider, offered.artifact.iri, agreement.iri)).status, 200);
    const pid = agreement.iri.split('/').pop();
    const entries = await waitFor('four log entries', () => {
      const mine = ch.log.filter((e) => e.pid === pid);
      return mine.length >= 4 ? mine : undefined;
    });
    assert.deepEqual(new Set(ch.processes.get(pid)), new Set([parties['provider'].clientId, parties['consumer'].clientId]));
    const types = (by: string) => entries.filter((e) => e.by === parties[by].clientId).map((e) => e.payload['message']['@type']);
    assert.deepEqual(types('provider'), ['ids:ContractRequestMessage', 'ids:ArtifactRequestMessage']);
    assert.deepEqual(types('consumer'), ['ids:ContractAgreementMessage', 'ids:ArtifactResponseMessage']);
    const transfer = entries.find((e) => e.payload['message']['@type'] === 'ids:ArtifactRequestMessage')!;
    assert.equal(transfer.payload['payloadSha256'], offered.artifact.checksum);
    const status = (await provider.call('GET', '/api/clearing-house/status')).json<Json>();
    assert.equal(status.queueDepth, 0);
    assert.ok(status.delivered >= 3);
    const audit = (await provider.call('GET', '/api/audit?type=ids:ArtifactRequestMessage')).json<Json>();
    assert.ok(audit.items.some((e: Json) => e.direction === 'inbound' && e.replyType === 'ids:ArtifactResponseMessage' && e.transferContract === agreement.iri));
    const sent = (await consumer.call('GET', '/api/audit?direction=outbound&size=200')).json<Json>();
    assert.ok(sent.items.some((e: Json) => e.messageType === 'ids:LogMessage' && e.replyType === 'ids:MessageProcessedNotificationMessage'));
  });

  it('the clearing house down delays delivery, never a transfer; the status shows the queue and the error', async () => {
    await ch.stop();
    const offered = await offerArtifact(provider, Buffer.from('{"n":1}'));
    const agreement = await negotiate(consumer, provider, offered.offer);
    for (let i = 0; i < 3; i++) assert.equal((await fetchArtifact(consumer, provider, offered.artifact.iri, agreement.iri)).status, 200);
    const waiting = await waitFor('a failed delivery', async () => {
      const s = (await provider.call('GET', '/api/clearing-house/status')).json<Json>();
      return s.lastError ? s : undefined;
    });
    assert.ok(waiting.queueDepth >= 5, JSON.stringify(waiting));
    assert.ok(waiting.oldestUndelivered);
    await ch.start();
    await waitFor('the queue drained', async () => (await provider.call('GET', '/api/clearing-house/status')).json<Json>().queueDepth === 0 && (await consumer.call('GET', '/api/clearing-house/status')).json<Json>().queueDepth === 0);
    const pid = agreement.iri.split('/').pop();
    assert.equal(ch.log.filter((e) => e.pid === pid).length, 2 + 3 * 2);
  });

  it('a broker that is down blocks nothing: the connector starts, serves, and registers once the broker is back', async () => {
    await broker.stop();
    const late = await startTestApp(omejdnEnv(parties['late'], caFile, daps, { FEP_BROKER_URL: broker.endpoint, FEP_SERVICE_POLL_MS: '100', FEP_SERVICE_RETRY_MAX_MS: '300' }));
    try {
      assert.equal((await late.call('GET', '/api/resources')).status, 200, 'the admin API answers');
      const failing = await waitFor('a failed attempt', async () => {
        const s = (await late.call('GET', '/api/broker/status')).json<Json>();
        return s.lastError ? s : undefined;
      });
      assert.equal(failing.registered, false);
      assert.equal((await late.call('POST', '/api/broker/register')).status, 503, 'an operator call says the broker is unreachable');
      await broker.start();
      await waitFor('registration after the outage', () => broker.connectors.get(parties['late'].connectorId)?.active);
    } finally {
      await late.close();
    }
  });

  it('shutdown sends ids:ConnectorUnavailableMessage', async () => {
    const before = broker.messages('ids:ConnectorUnavailableMessage').length;
    await provider.stop();
    const gone = broker.messages('ids:ConnectorUnavailableMessage').slice(before);
    assert.ok(gone.some((m) => m.header['ids:issuerConnector']['@id'] === provider.config.connector.id));
    assert.equal(broker.connectors.get(provider.config.connector.id)?.active, false);
    provider = await startTestApp(env('provider'), { restartOf: provider });
    await waitFor('re-registration after restart', () => broker.connectors.get(provider.config.connector.id)?.active);
  });
});
