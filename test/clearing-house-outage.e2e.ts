import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startConnectorProcess, type ConnectorProcess } from './support/connector.process.js';
import { freePort } from './support/free-port.js';
import { send } from './support/http.client.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { TestClearingHouse } from './support/test-clearing-house.server.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;
const ADMIN = { authorization: 'Basic ' + Buffer.from('admin:outage-test').toString('base64') };

/**
 * The outbox under a clearing-house outage: 100 transfers while the clearing house is down, the provider (a
 * process of its own, on SQLite) killed with SIGKILL halfway and restarted, then the clearing house comes
 * back: every record arrives, once, in order per process, from both sides.
 */
describe('clearing-house outage with a kill -9 of the provider (e2e, separate process)', () => {
  let daps: TestDaps;
  let ch: TestClearingHouse;
  let parties: Record<string, Party>;
  let caFile: string;
  let caPem: string;
  let provider: ConnectorProcess | undefined;
  let consumer: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'fep-outage-'));
  let port: number;
  let providerEnv: Record<string, string>;

  const admin = async (method: string, path: string, json?: unknown): Promise<Json> => {
    const r = await send(method, `https://127.0.0.1:${port}${path}`, {
      headers: { ...ADMIN, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      ca: caPem,
    });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
    return r.json<Json>();
  };

  before(async () => {
    port = await freePort();
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer', 'clearinghouse']);
    ({ parties, caFile, caPem } = pki);
    for (const party of Object.values(parties)) register(daps, party);
    ch = await TestClearingHouse.start(daps, parties['clearinghouse']);
    await ch.stop(); // down from the start; its port is kept for later
    const services = { FEP_CLEARING_HOUSE_URL: ch.url, FEP_SERVICE_POLL_MS: '100', FEP_SERVICE_RETRY_MAX_MS: '300' };
    providerEnv = {
      ...omejdnEnv(parties['provider'], caFile, daps, services),
      PORT: String(port),
      HOST: '127.0.0.1',
      FEP_PUBLIC_URL: `https://127.0.0.1:${port}`,
      FEP_DATA_DIR: join(dir, 'data'),
      FEP_CERTS_DIR: join(dir, 'certs'),
      FEP_ADMIN_PASSWORD: 'outage-test',
    };
    provider = await startConnectorProcess(providerEnv, join(dir, 'certs'), caPem);
    consumer = await startTestApp(omejdnEnv(parties['consumer'], caFile, daps, services));
  });
  after(async () => {
    await provider?.stop();
    await consumer?.close();
    await ch.stop();
    await daps.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('100 transfers with the clearing house down and a SIGKILL halfway: all records arrive, each once, in order', async () => {
    const resource = await admin('POST', '/api/resources', { title: 'Pump events' });
    const representation = await admin('POST', '/api/representations', { resourceId: resource.id, mediaType: 'application/json' });
    const artifact = await admin('POST', '/api/artifacts', { representationId: representation.id, fileName: 'events.json' });
    const uploaded = await send('PUT', `https://127.0.0.1:${port}/api/artifacts/${artifact.id}/data`, {
      headers: { ...ADMIN, 'content-type': 'application/octet-stream' },
      body: '{"failure":"seal"}',
      ca: caPem,
    });
    assert.equal(uploaded.status, 200, uploaded.text);
    const offer = await admin('POST', '/api/contract-offers', {
      resourceId: resource.id,
      offer: { 'ids:permission': [{ 'ids:action': [{ '@id': 'idsc:USE' }], 'ids:target': { '@id': artifact.iri } }] },
    });
    const url = `https://127.0.0.1:${port}/data`;
    const negotiated = await consumer.call('POST', '/api/consumer/negotiate', { json: { url, offer: offer.document } });
    assert.equal(negotiated.status, 200, negotiated.text);
    const agreement = negotiated.json<Json>();
    const fetch = async (): Promise<void> => {
      const r = await consumer.call('POST', '/api/consumer/fetch', { json: { url, artifact: artifact.iri, agreement: agreement.iri } });
      assert.equal(r.status, 200, r.text);
    };
    for (let i = 0; i < 50; i++) await fetch();
    const waiting = await admin('GET', '/api/clearing-house/status');
    assert.equal(waiting.queueDepth, 52, 'process + agreement + 50 transfers wait on the provider');
    assert.ok(waiting.lastError, 'the failed deliveries are visible');

    provider!.child.kill('SIGKILL');
    await new Promise((resolve) => provider!.child.once('exit', resolve));
    provider = await startConnectorProcess(providerEnv, join(dir, 'certs'), caPem);
    for (let i = 0; i < 50; i++) await fetch();
    assert.equal((await admin('GET', '/api/clearing-house/status')).queueDepth, 102);

    await ch.start();
    await waitFor(
      'both outboxes drained',
      async () =>
        (await admin('GET', '/api/clearing-house/status')).queueDepth === 0 &&
        (await consumer.call('GET', '/api/clearing-house/status')).json<Json>().queueDepth === 0,
      60_000,
    );

    const pid = agreement.iri.split('/').pop();
    const entries = ch.log.filter((e) => e.pid === pid);
    assert.equal(new Set(entries.map((e) => e.messageId)).size, entries.length, 'no record twice');
    for (const [side, first, each] of [
      ['provider', 'ids:ContractRequestMessage', 'ids:ArtifactRequestMessage'],
      ['consumer', 'ids:ContractAgreementMessage', 'ids:ArtifactResponseMessage'],
    ] as const) {
      const mine = entries.filter((e) => e.by === parties[side].clientId).map((e) => e.payload['message']);
      assert.equal(mine.length, 101, `${side}: the agreement and 100 transfers`);
      assert.equal(mine[0]['@type'], first);
      assert.ok(mine.slice(1).every((m: Json) => m['@type'] === each));
      const issued = mine.map((m: Json) => new Date(m['ids:issued']['@value'] ?? m['ids:issued']).getTime());
      assert.ok(
        issued.every((t, i) => i === 0 || t >= issued[i - 1]),
        `${side}: in the order they happened`,
      );
    }
    assert.deepEqual(new Set(ch.processes.get(pid)), new Set([parties['provider'].clientId, parties['consumer'].clientId]));
  });
});
