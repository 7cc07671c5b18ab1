import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuditRetention } from '../src/audit/audit.retention.js';
import { FixedClock } from '../src/common/clock.js';
import { FakePeer } from './support/fake-peer.server.js';
import { send } from './support/http.client.js';
import { formBody, idsHeader, offerArtifact, parseReply } from './support/ids.fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { fetchArtifact, negotiate } from './support/usage.fixtures.js';

type Json = Record<string, any>;
const deep = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

describe('hardening: bodies the admin API and the IDS endpoint refuse with a 400 / MALFORMED_MESSAGE (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('deeply nested JSON: 400 on every admin JSON route, MALFORMED_MESSAGE in IDS headers and payloads, never a 500', async () => {
    // Hardening finding 2: 3,000 levels gave 500 (RangeError: Maximum call stack size exceeded).
    for (const [method, path, type] of [
      ['POST', '/api/catalogs', 'application/json'],
      ['POST', '/api/resources', 'application/json'],
      ['POST', '/api/contract-offers', 'application/json'],
      ['POST', '/api/policies/offers', 'application/json'],
      ['POST', '/api/offeredResource', 'application/ld+json'],
      ['POST', '/proxy', 'text/plain'],
    ] as const) {
      const res = await t.call(method, path, { body: deep(3000), headers: { 'content-type': type } });
      assert.equal(res.status, 400, `${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.match(res.text, /nested deeper than 100 levels/);
    }
    const header = formBody(deep(3000));
    assert.equal(
      parseReply((await send('POST', `${t.baseUrl}/data`, header)).text).header['ids:rejectionReason']['@id'],
      'https://w3id.org/idsa/code/MALFORMED_MESSAGE',
    );
    const request = formBody(idsHeader('ids:ContractRequestMessage'), deep(3000));
    const reply = parseReply((await send('POST', `${t.baseUrl}/data`, request)).text);
    assert.equal(reply.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/MALFORMED_MESSAGE');
    assert.match(reply.payload!, /nested deeper than 100 levels/);
  });

  it('a create route with no JSON object (null, empty, text/plain) is a 400 naming the body, and writes nothing', async () => {
    // Hardening finding 3: POST /api/catalogs created a row from a null body.
    const before = (await t.call('GET', '/api/catalogs')).json<Json>().total;
    for (const [body, type] of [
      ['null', 'application/json'],
      ['', 'application/json'],
      ['[]', 'application/json'],
      ['"a string"', 'application/json'],
      ['title=x', 'text/plain'],
    ] as const) {
      const res = await t.call('POST', '/api/catalogs', { body, headers: { 'content-type': type } });
      assert.equal(res.status, 400, `${JSON.stringify(body)} as ${type}: ${res.status} ${res.text}`);
      assert.equal(res.json<Json>().field, 'body');
      assert.match(res.text, /a JSON object is required/);
    }
    assert.equal((await t.call('POST', '/api/catalogs')).status, 400, 'no body at all');
    assert.equal((await t.call('GET', '/api/catalogs')).json<Json>().total, before, 'no row was created');
    assert.equal((await t.call('POST', '/api/catalogs', { json: { title: 'a real one' } })).status, 201);
  });
});

describe('hardening: replies and agreements the consumer does not take (e2e, against a fake provider)', () => {
  let consumer: TestApp;
  let notified = 0;
  let sink: Server;
  let sinkUrl: string;
  before(async () => {
    sink = createServer((_req, res) => {
      notified++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/internal-admin`;
    consumer = await startTestApp();
  });
  after(async () => {
    await consumer.close();
    sink.close();
  });

  it('refuses a reply whose ids:correlationMessage is not the request', async () => {
    // Hardening finding 8: any reply was taken for the answer, correlated or not.
    const peer = await FakePeer.start((request) => ({
      header: FakePeer.replyTo(request.header, 'ids:DescriptionResponseMessage', {
        'ids:correlationMessage': { '@id': 'urn:some:other:message' },
      }),
      payload: '{"@type":"ids:BaseConnector"}',
    }));
    const silent = await FakePeer.start((request) => {
      const { ['ids:correlationMessage']: _none, ...header } = FakePeer.replyTo(request.header, 'ids:DescriptionResponseMessage');
      return { header, payload: '{}' };
    });
    const honest = await FakePeer.start((request) => ({
      header: FakePeer.replyTo(request.header, 'ids:DescriptionResponseMessage'),
      payload: '{"@type":"ids:BaseConnector"}',
    }));
    try {
      const wrong = await consumer.call('POST', '/api/consumer/describe', { json: { url: peer.url } });
      assert.equal(wrong.status, 502);
      assert.match(wrong.text, /does not correlate: its ids:correlationMessage is urn:some:other:message/);
      const missing = await consumer.call('POST', '/api/consumer/describe', { json: { url: silent.url } });
      assert.equal(missing.status, 502);
      assert.match(missing.text, /does not correlate: its ids:correlationMessage is \(missing\)/);
      assert.equal((await consumer.call('POST', '/api/consumer/describe', { json: { url: honest.url } })).status, 200);
    } finally {
      await Promise.all([peer.stop(), silent.stop(), honest.stop()]);
    }
  });

  it('keeps only an agreement that is the request or a narrowing of it; a NOTIFY duty the provider slips in is refused', async () => {
    // Hardening finding 10: the consumer kept any enforceable agreement, so a provider could add a NOTIFY duty
    // to a URL inside the consumer's network, which the consumer then posted to on every read.
    const offer = {
      '@type': 'ids:ContractOffer',
      '@id': 'urn:offer:1',
      'ids:permission': [{ '@id': 'urn:perm:1', 'ids:action': [{ '@id': 'idsc:USE' }], 'ids:target': { '@id': 'urn:artifact:1' } }],
    };
    const tampered = (request: Json): Json => {
      const asked = JSON.parse(request['payload'] as string) as Json;
      const permission = asked['ids:permission'][0] as Json;
      return {
        ...asked,
        '@type': 'ids:ContractAgreement',
        '@id': 'https://fake-peer.example/agreement/1',
        'ids:permission': [
          {
            ...permission,
            'ids:postDuty': [
              {
                '@type': 'ids:Duty',
                'ids:action': [{ '@id': 'idsc:NOTIFY' }],
                'ids:constraint': [
                  {
                    'ids:leftOperand': { '@id': 'idsc:ENDPOINT' },
                    'ids:operator': { '@id': 'idsc:DEFINES_AS' },
                    'ids:rightOperand': { '@value': sinkUrl, '@type': 'xsd:anyURI' },
                  },
                ],
              },
            ],
          },
        ],
      };
    };
    const widened = (request: Json): Json => ({
      ...tampered(request),
      'ids:permission': [{ '@id': 'urn:perm:1', 'ids:action': [{ '@id': 'idsc:USE' }], 'ids:target': { '@id': 'urn:artifact:OTHER' } }],
    });
    for (const [label, make, reason] of [
      [
        'an added NOTIFY duty to an endpoint not allowed',
        tampered,
        /endpoint http:\/\/127\.0\.0\.1:\d+\/internal-admin is not allowed \(FEP_USAGE_NOTIFY_ALLOWED: none configured\)/,
      ],
      [
        'another target',
        widened,
        /not the request or a narrowing of it, so it is not accepted: .*ids:target urn:artifact:OTHER differs from the offered urn:artifact:1/,
      ],
    ] as const) {
      const peer = await FakePeer.start((request) =>
        request.header['@type'] === 'ids:ContractRequestMessage'
          ? {
              header: FakePeer.replyTo(request.header, 'ids:ContractAgreementMessage'),
              payload: JSON.stringify(make({ payload: request.payload })),
            }
          : { header: FakePeer.replyTo(request.header, 'ids:MessageProcessedNotificationMessage') },
      );
      try {
        const res = await consumer.call('POST', '/api/consumer/negotiate', { json: { url: peer.url, offer } });
        assert.equal(res.status, 502, `${label}: ${res.text}`);
        assert.match(res.text, reason, label);
        assert.equal(peer.received.length, 1, `${label}: the agreement is not confirmed`);
      } finally {
        await peer.stop();
      }
    }
    assert.equal((await consumer.call('GET', '/api/consumer/agreements')).json<Json>().total, 0, 'no agreement kept');
    assert.equal(notified, 0, 'the internal URL was never called');
  });
});

describe('hardening: artifact sources (e2e)', () => {
  let provider: TestApp;
  let consumer: TestApp;
  let files: string;
  before(async () => {
    provider = await startTestApp({ FEP_HTTP_SOURCE_IDLE_TIMEOUT_MS: '600' });
    files = join(provider.dir, 'offered');
    mkdirSync(files);
    consumer = await startTestApp({ FEP_RECEIVE_MAX_BYTES: String(1 << 20) });
  });
  after(async () => {
    await consumer.close();
    await provider.close();
  });

  const artifactWith = async (t: TestApp, source: Json): Promise<{ status: number; body: Json; resource: Json }> => {
    const resource = (await t.call('POST', '/api/resources', { json: { title: 'sourced' } })).json<Json>();
    const rep = (
      await t.call('POST', '/api/representations', { json: { resourceId: resource.id, mediaType: 'application/json' } })
    ).json<Json>();
    const res = await t.call('POST', '/api/artifacts', { json: { representationId: rep.id, ...source } });
    return { status: res.status, body: res.json<Json>(), resource };
  };

  it('file sources are off unless directories are configured, and never reach the certs or data directory', async () => {
    // Hardening finding 13: any readable file could be registered, the admin password and private keys included.
    const inside = join(files, 'events.json');
    writeFileSync(inside, '{"ok":1}');
    const off = await artifactWith(provider, { sourceType: 'file', sourceLocation: inside });
    assert.equal(off.status, 400);
    assert.match(off.body['message'], /file sources are off: set FEP_FILE_SOURCE_DIRS/);
    // A directory allowed that contains the data and certs directories: those stay out of reach all the same.
    const base = mkdtempSync(join(tmpdir(), 'fep-files-'));
    const dirs = { data: join(base, 'data'), certs: join(base, 'certs'), offered: join(base, 'offered') };
    mkdirSync(dirs.offered);
    writeFileSync(join(dirs.offered, 'events.json'), '{"ok":1}');
    const open = await startTestApp({
      FEP_FILE_SOURCE_DIRS: base,
      FEP_DATA_DIR: dirs.data,
      FEP_CERTS_DIR: dirs.certs,
      FEP_ADMIN_PASSWORD: '',
    });
    try {
      symlinkSync(join(dirs.data, 'admin-password'), join(dirs.offered, 'innocent.json'));
      const ok = await artifactWith(open, { sourceType: 'file', sourceLocation: join(dirs.offered, 'events.json') });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      for (const secret of [
        join(dirs.data, 'admin-password'),
        join(dirs.certs, 'dev-ca.key.pem'),
        // The database file on SQLite; on the PostgreSQL round the data dir holds the artifacts' directory instead.
        ...(open.database === undefined ? [join(dirs.data, 'fep.sqlite')] : []),
        join(dirs.offered, 'innocent.json'),
      ]) {
        const refused = await artifactWith(open, { sourceType: 'file', sourceLocation: secret });
        assert.equal(refused.status, 400, `${secret}: ${JSON.stringify(refused.body)}`);
        assert.match(refused.body['message'], /inside the connector's own/);
      }
      const outside = await artifactWith(open, { sourceType: 'file', sourceLocation: '/etc/hostname' });
      assert.equal(outside.status, 400);
      assert.match(outside.body['message'], /outside the directories file sources may use/);
    } finally {
      await open.close();
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('an artifact whose source cannot be opened costs the consumer no use', async () => {
    // Hardening finding 11: the use was claimed (and the clearing-house record written) before the bytes were opened.
    let up = false;
    const source = createServer((_req, res) => (up ? res.end('{"pump":"P-101","zone":"B"}') : res.writeHead(503).end()));
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(source.address() as AddressInfo).port}/state.json`;
      const { body: artifact, resource } = await artifactWith(provider, { sourceType: 'http', sourceLocation: url });
      const built = await provider.call('POST', '/api/policies/offers', {
        json: { target: artifact['iri'], pattern: 'N_TIMES_USAGE', parameters: { count: '1' } },
      });
      const offer = (
        await provider.call('POST', '/api/contract-offers', { json: { resourceId: resource['id'], offer: built.json() } })
      ).json<Json>();
      const agreement = await negotiate(consumer, provider, offer);
      const failed = await fetchArtifact(consumer, provider, artifact['iri'], agreement['iri']);
      assert.equal(failed.status, 502, failed.text);
      assert.match(failed.text, /answered HTTP 503/);
      up = true;
      assert.equal((await fetchArtifact(consumer, provider, artifact['iri'], agreement['iri'])).status, 200, 'the one use is still there');
      const spent = await fetchArtifact(consumer, provider, artifact['iri'], agreement['iri']);
      assert.equal(spent.status, 403);
      assert.match(spent.text, /1 of 1 uses made/);
    } finally {
      source.close();
    }
  });

  it('HTTP sources time out on a stalled body, not on a long transfer that keeps flowing', async () => {
    // Hardening finding 14: the 30 s timeout covered the whole body, so a long transfer was cut.
    const source = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let n = 0;
      const stall = req.url === '/stall';
      const timer = setInterval(() => {
        n++;
        if (stall && n > 2) return; // goes silent
        res.write(`chunk ${n}\n`);
        if (n === 10) {
          clearInterval(timer);
          res.end();
        }
      }, 200);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;
      const flowing = await artifactWith(provider, { sourceType: 'http', sourceLocation: `${base}/flow` });
      const long = await provider.call('GET', `/api/artifacts/${flowing.body['id']}/data`);
      assert.equal(long.status, 200);
      assert.equal(long.text.split('\n').filter(Boolean).length, 10, '2 s of data through a 600 ms idle timeout');
      const stalled = await artifactWith(provider, { sourceType: 'http', sourceLocation: `${base}/stall` });
      await assert.rejects(
        provider.call('GET', `/api/artifacts/${stalled.body['id']}/data`),
        /socket hang up|ECONNRESET|aborted/,
        'a stalled source breaks the transfer off',
      );
      assert.equal((await provider.call('GET', '/', { admin: false })).status, 200);
    } finally {
      source.closeAllConnections();
      source.close();
    }
  });

  it('a consumer refuses an artifact larger than FEP_RECEIVE_MAX_BYTES and keeps nothing of it', async () => {
    const before = (await consumer.call('GET', '/api/consumer/artifacts')).json<Json>().total;
    const files = readdirSync(join(consumer.config.storage.dataDir, 'received')).length;
    const { artifact, offer } = await offerArtifact(provider, Buffer.alloc(3 << 20, 7));
    const agreement = await negotiate(consumer, provider, offer);
    const res = await fetchArtifact(consumer, provider, artifact['iri'], agreement['iri']);
    assert.equal(res.status, 502);
    assert.match(res.text, /sent more than FEP_RECEIVE_MAX_BYTES \(1048576 bytes\).*nothing of it was kept/);
    assert.equal((await consumer.call('GET', '/api/consumer/artifacts')).json<Json>().total, before);
    assert.equal(readdirSync(join(consumer.config.storage.dataDir, 'received')).length, files, 'no file, no partial file');
  });
});

describe('hardening: offers without ids:target, the README way (e2e)', () => {
  let provider: TestApp;
  let consumer: TestApp;
  before(async () => {
    provider = await startTestApp();
    consumer = await startTestApp();
  });
  after(async () => {
    await consumer.close();
    await provider.close();
  });

  it("fills in the resource's artifacts, so the README's offer negotiates and fetches; without artifacts it is a 400", async () => {
    // Hardening finding 19: such an offer was stored, negotiated, and then every fetch was NOT_AUTHORIZED.
    const empty = (await provider.call('POST', '/api/resources', { json: { title: 'nothing yet' } })).json<Json>();
    const refused = await provider.call('POST', '/api/contract-offers', {
      json: { resourceId: empty.id, offer: { 'ids:permission': [{ 'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }] }] } },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.json<Json>().field, 'offer["ids:permission"][0]["ids:target"]');
    const R = (await provider.call('POST', '/api/resources', { json: { title: 'Pump health', languages: ['EN'] } })).json<Json>();
    const P = (
      await provider.call('POST', '/api/representations', { json: { resourceId: R.id, mediaType: 'application/json' } })
    ).json<Json>();
    const A = (await provider.call('POST', '/api/artifacts', { json: { representationId: P.id, fileName: 'events.json' } })).json<Json>();
    await provider.call('PUT', `/api/artifacts/${A.id}/data`, {
      body: '[{"pump":"P-101","event":"bearing wear"}]',
      headers: { 'content-type': 'application/octet-stream' },
    });
    const offer = await provider.call('POST', '/api/contract-offers', {
      json: { resourceId: R.id, offer: { 'ids:permission': [{ 'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }] }] } },
    });
    assert.equal(offer.status, 201, offer.text);
    assert.deepEqual(offer.json<Json>().document['ids:permission'][0]['ids:target'], { '@id': A.iri }, 'the stored offer shows the target');
    const agreement = await negotiate(consumer, provider, offer.json<Json>());
    const fetched = await fetchArtifact(consumer, provider, A.iri, agreement['iri']);
    assert.equal(fetched.status, 200, fetched.text);
  });
});

describe('hardening: audit-log retention (e2e)', () => {
  it('keeps at most FEP_AUDIT_MAX_RECORDS and nothing older than FEP_AUDIT_RETENTION_DAYS', async () => {
    // Hardening finding 16: 20,000 malformed requests grew the audit log to 14 MB, without bound.
    const clock = new FixedClock(new Date());
    const t = await startTestApp({ FEP_AUDIT_MAX_RECORDS: '100', FEP_AUDIT_RETENTION_DAYS: '30' }, { clock });
    try {
      for (let i = 0; i < 300; i++) {
        await send('POST', `${t.baseUrl}/data`, { headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: 'garbage' });
      }
      assert.equal((await t.call('GET', '/api/audit?size=1')).json<Json>().total, 300);
      const retention = t.app.get(AuditRetention);
      assert.equal(await retention.sweep(), 200);
      const kept = (await t.call('GET', '/api/audit?size=200')).json<Json>();
      assert.equal(kept.total, 100);
      assert.equal(kept.items[0].seq, 300, 'the newest are kept');
      clock.advance(31 * 86_400_000);
      assert.equal(await retention.sweep(), 100);
      assert.equal((await t.call('GET', '/api/audit')).json<Json>().total, 0);
    } finally {
      await t.close();
    }
  });
});
