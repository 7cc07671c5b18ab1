import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminCall } from './support/admin.client.js';
import { startConnectorProcess, type ConnectorProcess } from './support/connector.process.js';
import { freePort } from './support/free-port.js';
import { artifactRequestHeader, formBody } from './support/ids.fixtures.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { TestClearingHouse } from './support/test-clearing-house.server.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { fetchArtifact, negotiate } from './support/usage.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;
const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

describe('evidence: the clearing house gets the SHA-256 of the bytes actually served (e2e)', () => {
  let daps: TestDaps;
  let ch: TestClearingHouse;
  let parties: Record<string, Party>;
  let provider: TestApp;
  let consumer: TestApp;
  let files: string;

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer', 'clearinghouse']);
    parties = pki.parties;
    for (const party of Object.values(parties)) register(daps, party);
    ch = await TestClearingHouse.start(daps, parties['clearinghouse']);
    files = mkdtempSync(join(tmpdir(), 'fep-served-'));
    const services = { FEP_CLEARING_HOUSE_URL: ch.url, FEP_SERVICE_POLL_MS: '100', FEP_SERVICE_RETRY_MAX_MS: '300' };
    provider = await startTestApp(omejdnEnv(parties['provider'], pki.caFile, daps, { ...services, FEP_FILE_SOURCE_DIRS: files }));
    consumer = await startTestApp(omejdnEnv(parties['consumer'], pki.caFile, daps, services));
  });
  after(async () => {
    await consumer.close();
    await provider.close();
    await ch.stop();
    await daps.stop();
    rmSync(files, { recursive: true, force: true });
  });

  it('a file that changed after it was registered: the record has the hash of what went out, not the stored checksum', async () => {
    // Hardening finding 12: the record carried the stored checksum (stale here, null for HTTP sources).
    const file = join(files, 'state.json');
    writeFileSync(file, '{"zone":"A","version":1}');
    const resource = (await provider.call('POST', '/api/resources', { json: { title: 'Pump state' } })).json<Json>();
    const rep = (
      await provider.call('POST', '/api/representations', { json: { resourceId: resource.id, mediaType: 'application/json' } })
    ).json<Json>();
    const artifact = (
      await provider.call('POST', '/api/artifacts', { json: { representationId: rep.id, sourceType: 'file', sourceLocation: file } })
    ).json<Json>();
    assert.equal(artifact.checksum, sha256('{"zone":"A","version":1}'));
    const offer = (
      await provider.call('POST', '/api/contract-offers', {
        json: { resourceId: resource.id, offer: { 'ids:permission': [{ 'ids:action': [{ '@id': 'idsc:USE' }] }] } },
      })
    ).json<Json>();
    const agreement = await negotiate(consumer, provider, offer);
    const now = '{"zone":"C","version":2,"note":"changed after registration"}';
    writeFileSync(file, now);
    const fetched = await fetchArtifact(consumer, provider, artifact.iri, agreement.iri);
    assert.equal(fetched.status, 200, fetched.text);
    assert.equal(fetched.json<Json>().checksum, sha256(now));
    const pid = agreement.iri.split('/').pop();
    const served = await waitFor('the provider-side transfer record', () =>
      ch.log.find(
        (e) => e.pid === pid && e.by === parties['provider'].clientId && e.payload['message']['@type'] === 'ids:ArtifactRequestMessage',
      ),
    );
    assert.equal(served.payload['payloadSha256'], sha256(now));
    assert.equal(served.payload['bytesServed'], Buffer.byteLength(now));
    assert.equal(served.payload['transfer'], undefined, 'a whole transfer');
  });
});

/** An ArtifactRequestMessage sent by hand over HTTPS, read as slowly as the test likes. */
function rawArtifactRequest(url: string, ca: string, header: Json): Promise<IncomingMessage> {
  const { body, headers } = formBody(header);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', headers, ca }, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

describe('a transfer broken by kill -9 of the provider: uses and records (e2e, separate process)', () => {
  let daps: TestDaps;
  let ch: TestClearingHouse;
  let parties: Record<string, Party>;
  let caPem: string;
  let provider: ConnectorProcess | undefined;
  let consumer: TestApp;
  let env: Record<string, string>;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'fep-kill-'));

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer', 'clearinghouse']);
    ({ parties, caPem } = pki);
    for (const party of Object.values(parties)) register(daps, party);
    ch = await TestClearingHouse.start(daps, parties['clearinghouse']);
    const port = await freePort();
    base = `https://127.0.0.1:${port}`;
    mkdirSync(join(dir, 'data'), { recursive: true });
    const services = { FEP_CLEARING_HOUSE_URL: ch.url, FEP_SERVICE_POLL_MS: '100', FEP_SERVICE_RETRY_MAX_MS: '300' };
    env = {
      ...omejdnEnv(parties['provider'], pki.caFile, daps, services),
      PORT: String(port),
      HOST: '127.0.0.1',
      FEP_PUBLIC_URL: base,
      FEP_DATA_DIR: join(dir, 'data'),
      FEP_CERTS_DIR: join(dir, 'certs'),
      FEP_ADMIN_PASSWORD: 'kill-test',
    };
    provider = await startConnectorProcess(env, join(dir, 'certs'), caPem);
    consumer = await startTestApp(omejdnEnv(parties['consumer'], pki.caFile, daps, services));
  });
  after(async () => {
    await provider?.stop();
    await consumer.close();
    await ch.stop();
    await daps.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const admin = (method: string, path: string, json?: unknown, raw?: Buffer): Promise<Json> =>
    adminCall({ base, password: 'kill-test', ca: caPem }, method, path, json, raw);

  it('spends exactly the uses that began (the broken one counts, like a started download); its record says it broke off', async () => {
    // Hardening finding 11: at most the uses actually begun are spent, across a kill -9 mid-transfer.
    const bytes = Buffer.alloc(24 << 20, 0x5a);
    const resource = await admin('POST', '/api/resources', { title: 'Vibration archive' });
    const rep = await admin('POST', '/api/representations', { resourceId: resource.id, mediaType: 'application/octet-stream' });
    const artifact = await admin('POST', '/api/artifacts', { representationId: rep.id });
    await admin('PUT', `/api/artifacts/${artifact.id}/data`, undefined, bytes);
    const built = await admin('POST', '/api/policies/offers', {
      target: artifact.iri,
      pattern: 'N_TIMES_USAGE',
      parameters: { count: '10' },
    });
    const offer = await admin('POST', '/api/contract-offers', { resourceId: resource.id, offer: built });
    const agreement = await negotiate(consumer, { baseUrl: base } as TestApp, offer);
    for (let i = 0; i < 3; i++) {
      assert.equal((await fetchArtifact(consumer, { baseUrl: base } as TestApp, artifact.iri, agreement.iri)).status, 200);
    }

    // The fourth transfer begins (headers and a first chunk arrive), then the provider is killed mid-body.
    const token = await daps.mint(parties['consumer'].clientId);
    const header = artifactRequestHeader(parties['consumer'].connectorId, artifact.iri, agreement.iri, token);
    const response = await rawArtifactRequest(`${base}/data`, caPem, header);
    assert.equal(response.statusCode, 200);
    await new Promise<void>((resolve) => response.once('data', () => resolve()));
    response.pause();
    response.on('error', () => undefined);
    provider!.child.kill('SIGKILL');
    await new Promise((resolve) => provider!.child.once('exit', resolve));

    // Nothing can begin while it is down: a request then spends nothing.
    const down = await fetchArtifact(consumer, { baseUrl: base } as TestApp, artifact.iri, agreement.iri);
    assert.ok(down.status >= 500, `${down.status} ${down.text}`);

    provider = await startConnectorProcess(env, join(dir, 'certs'), caPem);
    const log = await admin('GET', `/api/usage/log?agreement=${encodeURIComponent(agreement.iri)}&size=50`);
    const permitted = log.items.filter((e: Json) => e.permitted).length;
    assert.equal(permitted, 4, 'three whole transfers and the one that began; none for the request while it was down');
    assert.equal(
      (await fetchArtifact(consumer, { baseUrl: base } as TestApp, artifact.iri, agreement.iri)).status,
      200,
      'the fifth of ten',
    );

    const pid = agreement.iri.split('/').pop();
    const records = await waitFor(
      'five transfer records at the clearing house',
      () => {
        const mine = ch.log.filter(
          (e) => e.pid === pid && e.by === parties['provider'].clientId && e.payload['message']['@type'] === 'ids:ArtifactRequestMessage',
        );
        return mine.length === 5 ? mine : undefined;
      },
      30_000,
    );
    const whole = records.filter((r) => r.payload['transfer'] === undefined);
    assert.equal(whole.length, 4);
    for (const r of whole) {
      assert.equal(r.payload['payloadSha256'], sha256(bytes));
      assert.equal(r.payload['bytesServed'], bytes.length);
    }
    const broken = records.find((r) => r.payload['transfer'] !== undefined)!;
    assert.match(broken.payload['transfer'], /^interrupted/);
    assert.equal(broken.payload['message']['@id'], header['@id'], 'the broken one is the request sent by hand');
  });
});
