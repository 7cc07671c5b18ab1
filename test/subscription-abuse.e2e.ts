import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpReceiver } from './support/http-receiver.server.js';
import { offerArtifact } from './support/ids.fixtures.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { negotiate, offerWithPolicy } from './support/usage.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/**
 * Hardening round 3, finding 4: a subscription without pushData needed no agreement and its `location` could be any
 * URL (loopback, link-local, the node's own ports): pointed at the node's own Platoon usage endpoint it burned all 5
 * uses of an agreement within 30 s, and the 1,000-subscription cap, global, was filled in 4.6 s, after which the
 * operator's own webhooks got 503.
 */
describe('subscriptions a partner may not make (e2e)', () => {
  let daps: TestDaps;
  let parties: Record<string, Party>;
  let caFile: string;
  let provider: TestApp;
  let consumer: TestApp;
  let plain: HttpReceiver;

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer']);
    ({ parties, caFile } = pki);
    for (const party of Object.values(parties)) register(daps, party);
    plain = await HttpReceiver.start();
    const fast = { FEP_SERVICE_POLL_MS: '100', FEP_DELIVERY_RETRY_MAX_MS: '300' };
    provider = await startTestApp(
      omejdnEnv(parties['provider'], caFile, daps, {
        ...fast,
        FEP_PLATOON_UC_API: 'loopback',
        FEP_DELIVERY_ALLOW_PRIVATE_ADDRESSES: 'true',
        FEP_DELIVERY_ALLOWED_LOCATIONS: `${plain.url}/allowed/`,
        FEP_DELIVERY_MAX_PER_SUBSCRIBER: '3',
        FEP_DELIVERY_MAX_SUBSCRIPTIONS: '3',
      }),
    );
    consumer = await startTestApp(omejdnEnv(parties['consumer'], caFile, daps, fast));
  });
  after(async () => {
    await consumer.close();
    await provider.close();
    await plain.stop();
    await daps.stop();
  });

  const subscribe = (json: Json): ReturnType<TestApp['call']> =>
    consumer.call('POST', '/api/consumer/subscriptions', {
      json: { recipient: `${provider.baseUrl}/data`, location: `${consumer.baseUrl}/data`, pushData: false, ...json },
    });

  it('only what the subscriber may see: no agreement, and no offer that permits it, is NOT_AUTHORIZED', async () => {
    const { artifact } = await offerWithPolicy(provider, Buffer.from('{"secret":1}'), [
      { pattern: 'CONNECTOR_RESTRICTED_USAGE', parameters: { connector: 'https://someone-else.example/' } },
    ]);
    const refused = await subscribe({ target: artifact.iri });
    assert.equal(refused.status, 403, refused.text);
    assert.match(refused.json<Json>().message, /NOT_AUTHORIZED.*no agreement covering/);
    assert.equal((await provider.call('GET', '/api/subscriptions')).json<Json>().total, 0);
  });

  it('never the node itself (its Platoon usage API burned an agreement’s uses), nor a location that is not the subscriber’s IDS endpoint', async () => {
    const { artifact, offer } = await offerWithPolicy(provider, Buffer.from('{"n":1}'), [
      { pattern: 'N_TIMES_USAGE', parameters: { count: '5' } },
    ]);
    const agreement = await negotiate(consumer, provider, offer);
    const platoon = `${provider.baseUrl}/platoontec/PlatoonDataUsage/1.0/enforce/usage/agreement?contractAgreementUri=${encodeURIComponent(agreement.iri)}&requestedArtifact=${encodeURIComponent(artifact.iri)}`;
    const own = await subscribe({ target: artifact.iri, location: platoon });
    assert.notEqual(own.status, 201, own.text);
    assert.match(own.json<Json>().message, /BAD_PARAMETERS.*this node itself/);
    const elsewhere = await subscribe({ target: artifact.iri, location: `${plain.url}/not-ids` });
    assert.notEqual(elsewhere.status, 201, elsewhere.text);
    assert.match(elsewhere.json<Json>().message, /BAD_PARAMETERS.*own IDS endpoint/);
    // Refused before any request: the address is judged first.
    // The subscriber's own IDS endpoint passes (it answers the provider's description request as the subscriber).
    const mine = await subscribe({ target: artifact.iri });
    assert.equal(mine.status, 201, mine.text);
  });

  it('quotas: per subscriber, and partners together never take the room of the operator’s webhooks', async () => {
    const targets: string[] = [];
    for (let i = 0; i < 3; i++) {
      targets.push((await offerArtifact(provider, Buffer.from(`{"i":${i}}`), 'application/json', `quota ${i}`)).artifact.iri);
    }
    const results: number[] = [];
    for (const target of targets) results.push((await subscribe({ target })).status);
    // One subscription exists from the test before: the third of these is the fourth of this subscriber's.
    assert.deepEqual(
      results.map((status) => status === 201),
      [true, true, false],
    );
    const over = await subscribe({ target: targets[2] });
    assert.match(over.json<Json>().message, /FEP_DELIVERY_MAX_PER_SUBSCRIBER \(3\)/);
    const webhook = await provider.call('POST', '/api/subscriptions', { json: { target: targets[2], location: `${plain.url}/operator` } });
    assert.equal(webhook.status, 201, webhook.text);
  });

  it('a location that answers with something other than an IDS message is not retried: the subscription is suspended, saying why', async () => {
    // Allowed by the operator (FEP_DELIVERY_ALLOWED_LOCATIONS), so it skips the checks; it answers 204 without a message.
    const subs = (await provider.call('GET', '/api/subscriptions?size=50')).json<Json>().items as Json[];
    for (const s of subs.filter((s) => s.channel === 'ids')) await provider.call('DELETE', `/api/subscriptions/${s.id}`);
    const { resource, artifact } = await offerArtifact(provider, Buffer.from('{"v":1}'), 'application/json', 'web page');
    const made = await subscribe({ target: artifact.iri, location: `${plain.url}/allowed/page` });
    assert.equal(made.status, 201, made.text);
    const changed = await provider.call('PATCH', `/api/resources/${resource.id}`, { json: { title: 'web page, renamed' } });
    assert.equal(changed.status, 200, changed.text);
    const row = await waitFor('suspended', async () => {
      const s = ((await provider.call('GET', '/api/subscriptions?size=50')).json<Json>().items as Json[]).find(
        (x) => x.target === artifact.iri && x.channel === 'ids',
      );
      return s?.state === 'suspended' ? s : undefined;
    });
    assert.match(row.reason, /not retried: .*does not answer as an IDS endpoint/);
    await provider.call('PATCH', `/api/resources/${resource.id}`, { json: { title: 'renamed again' } });
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(plain.received.filter((r) => r.path === '/allowed/page').length, 1, 'one attempt, no retries');
  });
});
