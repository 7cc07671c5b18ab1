import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Clock } from '../src/common/clock.js';
import { DeletionSweeper } from '../src/consumer/deletion.sweeper.js';
import { makePki, omejdnEnv, register } from './support/pki.fixture.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { fetchArtifact, negotiate, offerWithPolicy } from './support/usage.fixtures.js';

type Json = Record<string, any>;

/** The system clock, moved by an offset: the consumer's time can jump ahead to a deadline. */
class ShiftedClock extends Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now();
  }
}
const bytes = Buffer.from(JSON.stringify({ pump: 'P-7', failure: 'bearing', probability: 0.91 }));

/** A notification endpoint that records what it gets; `fail` makes it answer 503. */
async function notificationSink(): Promise<{ url: string; received: Json[]; fail: boolean; server: Server }> {
  const sink = { url: '', received: [] as Json[], fail: false, server: undefined as unknown as Server };
  sink.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (sink.fail) return void res.writeHead(503).end();
      sink.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}/notify`;
  return sink;
}

describe('usage control between two connectors: omejdn DAPS, both sides enforce (e2e)', () => {
  let daps: TestDaps;
  let provider: TestApp;
  let consumer: TestApp;
  const consumerClock = new ShiftedClock();

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer']);
    for (const party of Object.values(pki.parties)) register(daps, party);
    // Notifications go to a sink on 127.0.0.1, which both sides must allow (FEP_USAGE_NOTIFY_ALLOWED).
    const allow = { FEP_USAGE_NOTIFY_ALLOWED: 'http://127.0.0.1:' };
    provider = await startTestApp(omejdnEnv(pki.parties['provider'], pki.caFile, daps, allow));
    consumer = await startTestApp(omejdnEnv(pki.parties['consumer'], pki.caFile, daps, allow), { clock: consumerClock });
  });
  after(async () => {
    await consumer.close();
    await provider.close();
    await daps.stop();
  });

  it('N_TIMES_USAGE: negotiate, fetch n times, the n+1-th is rejected NOT_AUTHORIZED; the consumer counts its reads too', async () => {
    const { artifact, offer } = await offerWithPolicy(provider, bytes, [{ pattern: 'N_TIMES_USAGE', parameters: { count: '3' } }]);
    const agreement = await negotiate(consumer, provider, offer);
    const received: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const fetched = await fetchArtifact(consumer, provider, artifact.iri, agreement.iri);
      assert.equal(fetched.status, 200, `fetch ${i}: ${fetched.text}`);
      received.push(fetched.json<Json>().id);
    }
    const fourth = await fetchArtifact(consumer, provider, artifact.iri, agreement.iri);
    // The provider's denial is a denial here too (hardening finding 20): 403 with its reason, not 502.
    assert.equal(fourth.status, 403);
    assert.match(fourth.text, /rejected the message: NOT_AUTHORIZED/);
    assert.match(fourth.text, /3 of 3 uses made, none left/);
    // Consumer side: the same agreement allows 3 reads of what was received.
    for (let i = 1; i <= 3; i++) {
      const read = await consumer.call('GET', `/api/consumer/artifacts/${received[0]}/data`);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.text, bytes.toString());
    }
    const denied = await consumer.call('GET', `/api/consumer/artifacts/${received[1]}/data`);
    assert.equal(denied.status, 403);
    assert.match(denied.json<Json>().message, /usage denied: .*none left/);
    const log = (await provider.call('GET', `/api/usage/log?agreement=${encodeURIComponent(agreement.iri)}&size=50`)).json<Json>();
    assert.deepEqual(
      log.items.map((e: Json) => e.permitted),
      [true, true, true, false],
    );
  });

  it('USAGE_UNTIL_DELETION: at the deadline the consumer deletes the bytes from disk and database', async () => {
    const now = Date.now();
    const end = new Date(now + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const start = new Date(now - 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const { artifact, offer } = await offerWithPolicy(provider, bytes, [{ pattern: 'USAGE_UNTIL_DELETION', parameters: { start, end } }]);
    const agreement = await negotiate(consumer, provider, offer);
    const fetched = (await fetchArtifact(consumer, provider, artifact.iri, agreement.iri)).json<Json>();
    assert.equal(fetched.deleteAt, new Date(end).toISOString());
    assert.ok(existsSync(fetched.path));
    assert.equal((await consumer.call('GET', `/api/consumer/artifacts/${fetched.id}/data`)).status, 200);
    consumerClock.set(new Date(new Date(end).getTime() - 1000));
    await consumer.app.get(DeletionSweeper).sweep();
    assert.ok(existsSync(fetched.path), 'one second before the deadline the data is still there');
    consumerClock.set(new Date(end));
    await consumer.app.get(DeletionSweeper).sweep();
    assert.equal(existsSync(fetched.path), false, 'the file is gone');
    const listed = (await consumer.call('GET', '/api/consumer/artifacts?size=200')).json<Json>();
    assert.equal(
      listed.items.some((a: Json) => a.id === fetched.id),
      false,
      'the record is gone',
    );
    assert.equal((await consumer.call('GET', `/api/consumer/artifacts/${fetched.id}/data`)).status, 404);
    consumerClock.offsetMs = 0;
  });

  it('USAGE_NOTIFICATION + USAGE_LOGGING: each use notifies and is logged; a failed notification denies and spends nothing', async () => {
    const sink = await notificationSink();
    try {
      const { artifact, offer } = await offerWithPolicy(provider, bytes, [
        { pattern: 'USAGE_NOTIFICATION', parameters: { endpoint: sink.url } },
        { pattern: 'USAGE_LOGGING' },
        { pattern: 'N_TIMES_USAGE', parameters: { count: '2' } },
      ]);
      const agreement = await negotiate(consumer, provider, offer);
      assert.equal((await fetchArtifact(consumer, provider, artifact.iri, agreement.iri)).status, 200);
      assert.ok(
        sink.received.some(
          (n) =>
            n.agreement === agreement.iri &&
            n.target === artifact.iri &&
            n.side === 'provider' &&
            n.consumer === consumer.config.connector.id,
        ),
      );
      sink.fail = true;
      const refused = await fetchArtifact(consumer, provider, artifact.iri, agreement.iri);
      assert.equal(refused.status, 403);
      assert.match(refused.text, /NOT_AUTHORIZED.*could not be notified/);
      sink.fail = false;
      // The failed use gave its claim back: the second of two uses is still there.
      assert.equal((await fetchArtifact(consumer, provider, artifact.iri, agreement.iri)).status, 200);
      const log = (await provider.call('GET', `/api/usage/log?agreement=${encodeURIComponent(agreement.iri)}`)).json<Json>();
      assert.deepEqual(
        log.items.map((e: Json) => [e.permitted, e.logDuty]),
        [
          [true, true],
          [false, false],
          [true, true],
        ],
      );
    } finally {
      sink.server.close();
    }
  });

  it('CONNECTOR_RESTRICTED_USAGE: another connector is refused at negotiation time or at the first fetch', async () => {
    const { artifact, offer } = await offerWithPolicy(provider, bytes, [
      { pattern: 'CONNECTOR_RESTRICTED_USAGE', parameters: { connector: 'https://someone-else.example/' } },
    ]);
    const agreement = await negotiate(consumer, provider, offer);
    const fetched = await fetchArtifact(consumer, provider, artifact.iri, agreement.iri);
    assert.equal(fetched.status, 403);
    assert.match(fetched.text, /NOT_AUTHORIZED.*the consumer connector is/);
  });

  it('SECURITY_PROFILE_RESTRICTED_USAGE: the DAT says BASE, so TRUST data is refused and BASE data served', async () => {
    const trust = await offerWithPolicy(provider, bytes, [
      { pattern: 'SECURITY_PROFILE_RESTRICTED_USAGE', parameters: { profile: 'TRUST_SECURITY_PROFILE' } },
    ]);
    const a1 = await negotiate(consumer, provider, trust.offer);
    const refused = await fetchArtifact(consumer, provider, trust.artifact.iri, a1.iri);
    assert.match(refused.text, /NOT_AUTHORIZED.*has (idsc:)?BASE_SECURITY_PROFILE/);
    const base = await offerWithPolicy(provider, bytes, [
      { pattern: 'SECURITY_PROFILE_RESTRICTED_USAGE', parameters: { profile: 'BASE_SECURITY_PROFILE' } },
    ]);
    const a2 = await negotiate(consumer, provider, base.offer);
    assert.equal((await fetchArtifact(consumer, provider, base.artifact.iri, a2.iri)).status, 200);
  });

  it('a consumer refuses to accept, and a provider to offer, a policy it cannot enforce', async () => {
    const { resource, artifact } = await offerWithPolicy(provider, bytes, [{ pattern: 'PROVIDE_ACCESS' }]);
    const spatial = {
      'ids:permission': [
        {
          'ids:action': [{ '@id': 'idsc:USE' }],
          'ids:target': { '@id': artifact.iri },
          'ids:constraint': [
            {
              'ids:leftOperand': { '@id': 'idsc:ABSOLUTE_SPATIAL_POSITION' },
              'ids:operator': { '@id': 'idsc:INSIDE' },
              'ids:rightOperand': { '@value': 'EU' },
            },
          ],
        },
      ],
    };
    const offered = await provider.call('POST', '/api/contract-offers', { json: { resourceId: resource.id, offer: spatial } });
    assert.equal(offered.status, 400);
    assert.match(offered.json<Json>().message, /cannot enforce the policy: .*ABSOLUTE_SPATIAL_POSITION/);
    const accepted = await consumer.call('POST', '/api/consumer/negotiate', {
      json: { url: `${provider.baseUrl}/data`, offer: { '@type': 'ids:ContractOffer', ...spatial } },
    });
    assert.equal(accepted.status, 400);
    assert.match(accepted.json<Json>().message, /cannot enforce the policy, so it does not accept it/);
  });
});
