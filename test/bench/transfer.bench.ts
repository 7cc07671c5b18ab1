/**
 * Bench section "transfer": two connector processes on 127.0.0.1 over HTTPS; a provider offers an artifact of
 * BENCH_MB (default 100) MB; the consumer negotiates and fetches it once per transport. Reports wall time,
 * throughput and each process's peak RSS growth (Linux /proc VmHWM); then many small transfers under an
 * N_TIMES_USAGE + USAGE_LOGGING policy (fetches/s and latency).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { freePort } from '../support/free-port.js';
import { startConnectorProcess, type ConnectorProcess } from '../support/connector.process.js';
import { send } from '../support/http.client.js';

const MB = 1024 * 1024;
const SIZE = Number(process.env['BENCH_MB'] ?? 100) * MB;
const auth = 'Basic ' + Buffer.from('admin:bench-secret').toString('base64');
type Json = Record<string, any>;

async function call(p: ConnectorProcess, method: string, path: string, json?: unknown): Promise<Json> {
  const res = await send(method, p.baseUrl + path, {
    ca: p.ca,
    headers: { authorization: auth, 'content-type': 'application/json' },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json<Json>();
}

function source(size: number): Readable {
  const block = randomBytes(MB);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const n = Math.min(MB, size - sent);
      sent += n;
      this.push(Buffer.from(block.subarray(0, n)));
    },
  });
}

export async function transferBench(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'fep-bench-'));
  const env = (name: string, p: number): Record<string, string> => ({
    PORT: String(p),
    HOST: '127.0.0.1',
    FEP_PUBLIC_URL: `https://127.0.0.1:${p}`,
    FEP_CONNECTOR_ID: `https://${name}.bench/`,
    FEP_DATA_DIR: join(root, name, 'data'),
    FEP_CERTS_DIR: join(root, 'certs'),
    FEP_ADMIN_PASSWORD: 'bench-secret',
    FEP_DAPS_MODE: 'dev',
  });
  const provider = await startConnectorProcess(env('provider', await freePort()), join(root, 'certs'));
  const consumer = await startConnectorProcess(env('consumer', await freePort()), join(root, 'certs'));
  const rows: string[] = [];
  const policyRows: string[] = [];
  try {
    const resource = await call(provider, 'POST', '/api/resources', { title: 'bench' });
    const rep = await call(provider, 'POST', '/api/representations', { resourceId: resource.id });
    const artifact = await call(provider, 'POST', '/api/artifacts', { representationId: rep.id });
    provider.resetPeak();
    const uploadRss = provider.memory().rss;
    const upStarted = process.hrtime.bigint();
    const up = await send('PUT', `${provider.baseUrl}/api/artifacts/${artifact.id}/data`, {
      ca: provider.ca,
      headers: { authorization: auth, 'content-type': 'application/octet-stream' },
      body: source(SIZE),
    });
    const uploaded = up.json<Json>();
    const upSeconds = Number(process.hrtime.bigint() - upStarted) / 1e9;
    rows.push(
      `| upload to the provider (PUT /api/artifacts/{id}/data) | ${SIZE / MB} | ${upSeconds.toFixed(2)} | ${(SIZE / MB / upSeconds).toFixed(0)} | ${Math.max(0, (provider.memory().peak - uploadRss) / MB).toFixed(0)} | – |`,
    );
    console.log(rows.at(-1));
    await call(provider, 'POST', '/api/contract-offers', {
      resourceId: resource.id,
      offer: { 'ids:permission': [{ 'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }], 'ids:target': { '@id': uploaded.iri } }] },
    });
    const url = `${provider.baseUrl}/data`;
    for (const transport of ['form', 'mixed', 'http-header']) {
      const element = await call(consumer, 'POST', '/api/consumer/describe', { url, transport, elementId: resource.iri });
      const agreement = await call(consumer, 'POST', '/api/consumer/negotiate', { url, transport, offer: element['ids:contractOffer'][0] });
      provider.resetPeak();
      consumer.resetPeak();
      const before = { p: provider.memory().rss, c: consumer.memory().rss };
      const started = process.hrtime.bigint();
      const received = await call(consumer, 'POST', '/api/consumer/fetch', {
        url,
        transport,
        artifact: uploaded.iri,
        agreement: agreement.iri,
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (received.checksum !== uploaded.checksum) throw new Error('checksum mismatch');
      const growth = { p: (provider.memory().peak - before.p) / MB, c: (consumer.memory().peak - before.c) / MB };
      rows.push(
        `| fetch over ${transport} | ${SIZE / MB} | ${seconds.toFixed(2)} | ${(SIZE / MB / seconds).toFixed(0)} | ${Math.max(0, growth.p).toFixed(0)} | ${Math.max(0, growth.c).toFixed(0)} |`,
      );
      console.log(rows.at(-1));
    }
    // Many small governed transfers: every one is decided, counted atomically and logged, on both sides.
    const small = await call(provider, 'POST', '/api/resources', { title: 'small' });
    const smallRep = await call(provider, 'POST', '/api/representations', { resourceId: small.id, mediaType: 'application/json' });
    const smallArtifact = await call(provider, 'POST', '/api/artifacts', { representationId: smallRep.id });
    const event = JSON.stringify({
      pump: 'P-7',
      failure: 'bearing',
      probability: 0.91,
      features: Array.from({ length: 64 }, (_, i) => i / 64),
    });
    const put = await send('PUT', `${provider.baseUrl}/api/artifacts/${smallArtifact.id}/data`, {
      ca: provider.ca,
      headers: { authorization: auth, 'content-type': 'application/octet-stream' },
      body: event,
    });
    const smallIri = put.json<Json>().iri as string;
    const policyOffer = await call(provider, 'POST', '/api/policies/offers', {
      target: smallIri,
      patterns: [{ pattern: 'N_TIMES_USAGE', parameters: { count: '1000000' } }, { pattern: 'USAGE_LOGGING' }],
    });
    const stored = await call(provider, 'POST', '/api/contract-offers', { resourceId: small.id, offer: policyOffer });
    const agreed = await call(consumer, 'POST', '/api/consumer/negotiate', { url, offer: stored.document });
    for (const concurrency of [1, 8]) {
      const total = 400;
      const latencies: number[] = [];
      let next = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            next++;
            const t0 = process.hrtime.bigint();
            await call(consumer, 'POST', '/api/consumer/fetch', { url, artifact: smallIri, agreement: agreed.iri });
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      latencies.sort((a, b) => a - b);
      const q = (f: number): string => latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))].toFixed(1);
      policyRows.push(`| ${concurrency} | ${latencies.length} | ${(latencies.length / seconds).toFixed(0)} | ${q(0.5)} | ${q(0.99)} |`);
      console.log(policyRows.at(-1));
    }
    const log = await call(provider, 'GET', `/api/usage/log?agreement=${encodeURIComponent(agreed.iri as string)}&size=1`);
    if (log.total !== 800) throw new Error(`expected 800 usage records, got ${log.total}`);
  } finally {
    await consumer.stop();
    await provider.stop();
    rmSync(root, { recursive: true, force: true });
  }
  return `## Artifact transfer between two connector processes (HTTPS on 127.0.0.1)

A provider offers one artifact of ${SIZE / MB} MiB (uploaded as a stream); a consumer process negotiates and fetches it
through its admin API (\`/api/consumer/fetch\`), which streams the IDS reply to disk and checks the SHA-256. Both
processes run with the embedded SQLite store, the dev certificates and real tokens from the development DAPS. "Peak RSS growth" is VmHWM after a step
minus VmRSS before it (\`/proc/<pid>/status\`; the peak is reset through \`clear_refs\` before each step): holding
the artifact whole would add at least ${SIZE / MB} MiB.

| step | MiB | seconds | MiB/s | provider peak RSS growth (MiB) | consumer peak RSS growth (MiB) |
|---|---|---|---|---|---|
${rows.join('\n')}

## Governed small transfers (usage control on every request)

The same two processes; a small JSON artifact (a maintenance event, under 1 KiB) offered under N_TIMES_USAGE + USAGE_LOGGING (built with
\`POST /api/policies/offers\`). Each fetch is one consumer admin call: the consumer sends an ids:ArtifactRequestMessage
with its DAT, the provider verifies the DAT, decides the policy, claims the use (conditional UPDATE) and writes the
usage-log record in one SQLite transaction, streams the bytes; the consumer stores them with their own record. 400
fetches per row; latency is per fetch as the caller sees it.

| concurrent callers | fetches | fetches/s | p50 ms | p99 ms |
|---|---|---|---|---|
${policyRows.join('\n')}
`;
}
