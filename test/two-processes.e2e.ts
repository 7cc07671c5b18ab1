import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { send } from './support/http.client.js';
import { freePort } from './support/free-port.js';
import { startConnectorProcess, type ConnectorProcess } from './support/connector.process.js';

type Json = Record<string, any>;
const MB = 1024 * 1024;

/** `size` pseudo-random bytes as a stream (never whole in memory), with their SHA-256 when the stream ends. */
function generated(size: number): { stream: Readable; sha256: Promise<string> } {
  const hash = createHash('sha256');
  const block = randomBytes(MB);
  let sent = 0;
  let finish!: (h: string) => void;
  const sha256 = new Promise<string>((r) => (finish = r));
  const stream = new Readable({
    read() {
      if (sent >= size) {
        finish(hash.digest('hex'));
        this.push(null);
        return;
      }
      const chunk = block.subarray(0, Math.min(MB, size - sent));
      chunk[0] = sent & 0xff; // not the same block over and over
      hash.update(chunk);
      sent += chunk.length;
      this.push(Buffer.from(chunk));
    },
  });
  return { stream, sha256 };
}

/** SHA-256 and size of a download, streamed. */
function downloadHash(url: string, auth: string, ca: string): Promise<{ sha256: string; size: number; status: number }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { authorization: auth }, ca }, (res) => {
      const hash = createHash('sha256');
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      res.on('end', () => resolve({ sha256: hash.digest('hex'), size, status: res.statusCode ?? 0 }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('two connector processes over HTTPS, FEP_DAPS_MODE=dev with one certs folder, as two `npm start`s (e2e)', () => {
  const root = mkdtempSync(join(tmpdir(), 'fep-two-'));
  const auth = 'Basic ' + Buffer.from('admin:two-process-secret').toString('base64');
  let provider: ConnectorProcess;
  let consumer: ConnectorProcess;
  const env = (name: string, port: number): Record<string, string> => ({
    PORT: String(port),
    HOST: '127.0.0.1',
    FEP_PUBLIC_URL: `https://127.0.0.1:${port}`,
    FEP_CONNECTOR_ID: `https://${name}.example/connector`,
    FEP_DATA_DIR: join(root, name, 'data'),
    // One certs folder, as two `npm start`s in one checkout: shared dev CA and dev DAPS key, own identities.
    FEP_CERTS_DIR: join(root, 'certs'),
    FEP_DAPS_MODE: 'dev',
    FEP_ADMIN_PASSWORD: 'two-process-secret',
  });
  const admin = async (p: ConnectorProcess, method: string, path: string, json?: unknown): Promise<Json> => {
    const res = await send(method, p.baseUrl + path, {
      ca: p.ca,
      headers: { authorization: auth, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    return res.text === '' ? {} : res.json<Json>();
  };

  before(async () => {
    const port = await freePort();
    let other = await freePort();
    while (other === port) other = await freePort();
    // Started at the same moment on an empty certs folder: the shared dev CA and DAPS key must still be one.
    [provider, consumer] = await Promise.all([
      startConnectorProcess(env('provider', port), join(root, 'certs')),
      startConnectorProcess(env('consumer', other), join(root, 'certs')),
    ]);
  });
  after(async () => {
    await consumer?.stop();
    await provider?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function offer(bytes: Readable, mediaType: string): Promise<{ artifact: Json; resourceIri: string }> {
    const resource = await admin(provider, 'POST', '/api/resources', { title: `offer ${randomUUID()}` });
    const rep = await admin(provider, 'POST', '/api/representations', { resourceId: resource.id, mediaType });
    const artifact = await admin(provider, 'POST', '/api/artifacts', { representationId: rep.id });
    const uploaded = await send('PUT', `${provider.baseUrl}/api/artifacts/${artifact.id}/data`, {
      ca: provider.ca,
      headers: { authorization: auth, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    assert.equal(uploaded.status, 200, uploaded.text);
    await admin(provider, 'POST', '/api/contract-offers', {
      resourceId: resource.id,
      offer: { 'ids:permission': [{ 'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }], 'ids:target': { '@id': artifact.iri } }] },
    });
    return { artifact: uploaded.json<Json>(), resourceIri: resource.iri };
  }

  async function negotiateAndFetch(resourceIri: string, artifactIri: string, transport: string): Promise<Json> {
    const url = `${provider.baseUrl}/data`;
    const element = await admin(consumer, 'POST', '/api/consumer/describe', { url, transport, elementId: resourceIri });
    const agreement = await admin(consumer, 'POST', '/api/consumer/negotiate', { url, transport, offer: element['ids:contractOffer'][0] });
    return admin(consumer, 'POST', '/api/consumer/fetch', { url, transport, artifact: artifactIri, agreement: agreement.iri });
  }

  for (const transport of ['form', 'mixed', 'http-header']) {
    it(`describe, negotiate, fetch over ${transport}: the fetched bytes equal the provider's`, async () => {
      const bytes = randomBytes(200_000);
      const { artifact, resourceIri } = await offer(Readable.from([bytes]), 'application/octet-stream');
      const received = await fetchAndCheck(resourceIri, artifact, transport);
      assert.equal(received.byteSize, bytes.length);
      assert.equal(received.checksum, createHash('sha256').update(bytes).digest('hex'));
    });
  }

  async function fetchAndCheck(resourceIri: string, artifact: Json, transport: string): Promise<Json> {
    const received = await negotiateAndFetch(resourceIri, artifact.iri, transport);
    const download = await downloadHash(`${consumer.baseUrl}/api/consumer/artifacts/${received.id}/data`, auth, consumer.ca);
    assert.equal(download.status, 200);
    assert.equal(download.sha256, artifact.checksum);
    return received;
  }

  it('streams a 100 MB artifact end to end without holding it in memory', async () => {
    provider.resetPeak();
    consumer.resetPeak();
    const before = { provider: provider.memory(), consumer: consumer.memory() };
    const { stream, sha256 } = generated(100 * MB);
    const { artifact, resourceIri } = await offer(stream, 'application/octet-stream');
    assert.equal(artifact.checksum, await sha256);
    const received = await fetchAndCheck(resourceIri, artifact, 'form');
    assert.equal(received.byteSize, 100 * MB);
    const afterwards = { provider: provider.memory(), consumer: consumer.memory() };
    const growth = {
      provider: Math.round((afterwards.provider.peak - before.provider.rss) / MB),
      consumer: Math.round((afterwards.consumer.peak - before.consumer.rss) / MB),
    };
    console.log(
      `# 100 MB transfer: peak RSS growth provider ${growth.provider} MB, consumer ${growth.consumer} MB (RSS before: ${Math.round(before.provider.rss / MB)} / ${Math.round(before.consumer.rss / MB)} MB)`,
    );
    // Holding the artifact whole would add at least 100 MB to one of them.
    assert.ok(growth.provider < 60 && growth.consumer < 60, JSON.stringify(growth));
  });
});
