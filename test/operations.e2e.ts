import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from './support/test-app.js';
import { freePort } from './support/free-port.js';
import { formBody, idsHeader } from './support/ids.fixtures.js';
import { fetchArtifact, negotiate, offerWithPolicy } from './support/usage.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/** A Prometheus sample's value, by metric name and labels (all given labels must match). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe('operations: health, readiness, metrics, transfers', () => {
  let provider: TestApp;
  let consumer: TestApp;
  before(async () => {
    provider = await startTestApp({ FEP_DAPS_MODE: 'dev' });
    consumer = await startTestApp();
  });
  after(async () => {
    await consumer.close();
    await provider.close();
  });

  it('GET /health and /health/ready answer without credentials: database, DAT, broker, clearing house, data apps', async () => {
    const live = await provider.call('GET', '/health', { admin: false });
    assert.equal(live.status, 200, live.text);
    assert.equal(live.json<Json>().status, 'ok');
    const ready = await provider.call('GET', '/health/ready', { admin: false });
    assert.equal(ready.status, 200, ready.text);
    const body = ready.json<Json>();
    assert.equal(body.status, 'ok');
    assert.equal(body.details.database.status, 'up');
    assert.equal(body.details.dat.status, 'up');
    assert.equal(body.details.dat.mode, 'dev');
    assert.deepEqual(Object.keys(body.details).sort(), ['broker', 'clearingHouse', 'dat', 'dataApps', 'database', 'delivery', 'disk']);
  });

  it('is not ready (503, naming the check) when no DAT can be had, and degraded while the broker is unreachable', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const t = await startTestApp({
      FEP_DAPS_MODE: 'omejdn',
      FEP_DAPS_URL: dead,
      FEP_DAPS_ISSUER: dead,
      FEP_BROKER_URL: `${dead}/infrastructure`,
    });
    try {
      const ready = await t.call('GET', '/health/ready', { admin: false });
      assert.equal(ready.status, 503, ready.text);
      const body = ready.json<Json>();
      assert.equal(body.status, 'error');
      assert.equal(body.error.dat.status, 'down');
      assert.match(body.error.dat.message, /127\.0\.0\.1|DAPS|fetch/i);
      assert.equal(body.details.database.status, 'up');
      assert.equal(body.details.broker.status, 'degraded');
      assert.equal(body.details.broker.registered, false);
      // Still alive: liveness is not readiness.
      assert.equal((await t.call('GET', '/health', { admin: false })).status, 200);
    } finally {
      await t.close();
    }
  });

  it('GET /metrics needs the admin credentials and counts IDS messages by type and outcome, DAT refusals by check', async () => {
    assert.equal((await provider.call('GET', '/metrics', { admin: false })).status, 401);
    const good = await provider.call('GET', '/metrics');
    assert.equal(good.status, 200);
    assert.match(String(good.headers['content-type']), /text\/plain; version=0\.0\.4/);
    // A message with TRUE's placeholder token: the dev DAPS mode checks DATs, so this is NOT_AUTHENTICATED (format).
    const { body, headers } = formBody(idsHeader('ids:DescriptionRequestMessage'));
    const rejected = await provider.call('POST', '/data', { admin: false, body, headers });
    assert.equal(rejected.status, 200);
    assert.match(rejected.text, /NOT_AUTHENTICATED/);
    const text = (await provider.call('GET', '/metrics')).text;
    // Refused before its token was accepted: its @type is the sender's word, counted as `other` (no new series).
    const labels = { direction: 'inbound', type: 'other', transport: 'form', outcome: 'NOT_AUTHENTICATED' };
    assert.equal(
      sample(text, 'fep_ids_messages_total', labels),
      1,
      text
        .split('\n')
        .filter((l) => l.startsWith('fep_ids'))
        .join('\n'),
    );
    assert.equal(sample(text, 'fep_dat_verification_failures_total', { check: 'format' }), 1);
    assert.equal(sample(text, 'fep_ids_message_duration_seconds_count', { direction: 'inbound', type: 'other', transport: 'form' }), 1);
    assert.ok((sample(text, 'nodejs_eventloop_lag_p99_seconds') ?? -1) >= 0, 'event-loop delay');
    assert.ok((sample(text, 'process_resident_memory_bytes') ?? 0) > 0, 'process metrics');
    assert.equal(sample(text, 'fep_clearing_house_outbox_depth'), 0);
    assert.equal(sample(text, 'fep_broker_registered'), 0);
  });

  it('a long transfer shows its bytes so far while it runs (GET /api/consumer/transfers), then done', async () => {
    // A provider whose artifact comes from a slow HTTP source: 20 chunks of 10 KB, one every 100 ms.
    const source = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let n = 0;
      const timer = setInterval(() => {
        res.write(Buffer.alloc(10_000, n));
        if (++n === 20) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    const provided = await startTestApp();
    try {
      const url = `http://127.0.0.1:${(source.address() as AddressInfo).port}/slow.bin`;
      const resource = (await provided.call('POST', '/api/resources', { json: { title: 'slow' } })).json<Json>();
      const rep = (
        await provided.call('POST', '/api/representations', { json: { resourceId: resource.id, mediaType: 'application/octet-stream' } })
      ).json<Json>();
      const artifact = (
        await provided.call('POST', '/api/artifacts', { json: { representationId: rep.id, sourceType: 'http', sourceLocation: url } })
      ).json<Json>();
      const offer = await provided.call('POST', '/api/contract-offers', {
        json: { resourceId: resource.id, offer: { 'ids:permission': [{ 'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }] }] } },
      });
      assert.equal(offer.status, 201, offer.text);
      const agreement = await negotiate(consumer, provided, offer.json<Json>());
      const fetching = fetchArtifact(consumer, provided, artifact.iri as string, agreement.iri as string);
      const midway = await waitFor('the transfer under way', async () => {
        const list = (await consumer.call('GET', '/api/consumer/transfers')).json<Json[]>();
        const t = list.find((x) => x.artifact === artifact.iri && x.state === 'receiving' && x.bytes > 0);
        return t;
      });
      assert.ok(midway.bytes < 200_000, `bytes so far: ${midway.bytes as number}`);
      const live = (await consumer.call('GET', '/api/live/snapshot')).json<Json>();
      assert.ok(
        live.transfers.some((x: Json) => x.artifact === artifact.iri && x.state === 'receiving'),
        'the live page sees it too',
      );
      const fetched = await fetching;
      assert.equal(fetched.status, 200, fetched.text);
      const done = (await consumer.call('GET', '/api/consumer/transfers')).json<Json[]>().find((x) => x.artifact === artifact.iri);
      assert.deepEqual([done?.state, done?.bytes], ['done', 200_000]);
    } finally {
      await provided.close();
      source.closeAllConnections();
      source.close();
    }
  });

  it('a consumer fetch is counted as it streams (GET /api/consumer/transfers), and policy decisions are counted by pattern', async () => {
    const provided = await startTestApp();
    try {
      const bytes = Buffer.alloc(300_000, 7);
      const { artifact, offer } = await offerWithPolicy(provided, bytes, [{ pattern: 'N_TIMES_USAGE', parameters: { count: '2' } }]);
      const agreement = await negotiate(consumer, provided, offer);
      const fetched = await fetchArtifact(consumer, provided, artifact.iri, agreement.iri);
      assert.equal(fetched.status, 200, fetched.text);
      const transfers = (await consumer.call('GET', '/api/consumer/transfers')).json<Json[]>();
      const done = transfers.find((t) => t.artifact === artifact.iri);
      assert.ok(done, JSON.stringify(transfers));
      assert.equal(done.state, 'done');
      assert.equal(done.bytes, bytes.length);
      const metrics = (await provided.call('GET', '/metrics')).text;
      assert.equal(sample(metrics, 'fep_policy_decisions_total', { side: 'provider', pattern: 'N_TIMES_USAGE', result: 'permit' }), 1);
      const live = (await consumer.call('GET', '/api/live/snapshot')).json<Json>();
      const line = live.agreements.find((a: Json) => a.agreement === agreement.iri);
      assert.equal(line.side, 'consumer');
      assert.equal(line.uses, 0, 'the consumer counts reads of the received data, not fetches');
      const providerLive = (await provided.call('GET', '/api/live/snapshot')).json<Json>();
      const providerLine = providerLive.agreements.find((a: Json) => a.agreement === agreement.iri);
      assert.deepEqual([providerLine.uses, providerLine.limit, providerLine.permitted], [1, 2, true]);
    } finally {
      await provided.close();
    }
  });
});
