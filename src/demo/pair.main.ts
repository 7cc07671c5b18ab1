/**
 * `npm run demo:pair`: two connectors on this machine, a provider (with the demo apps) and a consumer, and the
 * whole IDS flow between them through their admin APIs: describe, negotiate under a usage policy (N_TIMES_USAGE 3
 * + USAGE_LOGGING), fetch, read, and both sides' usage logs. They share a development CA and dev DAPS key
 * (./certs), as two `npm start`s in one checkout do. `-- --keep` leaves them running (Ctrl-C stops them).
 * With DEMO_PROVIDER_URL and DEMO_CONSUMER_URL it starts nothing and walks through between two running connectors
 * (the compose file's `walkthrough`; FEP_ADMIN_PASSWORD and the dev CA in FEP_CERTS_DIR are theirs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { httpClient, type HttpFetch } from '../common/http/http.client.js';
import { NODE_FLAGS } from '../common/node.flags.js';
import { PROJECT_ROOT } from '../common/project-root.js';

type Json = Record<string, unknown>;

/** What the walk-through reads of the admin API's answers. */
interface Element {
  id: string;
  iri: string;
}
interface Received {
  id: string;
  byteSize: number;
  checksum: string;
}
interface LogEntry {
  at: string;
  side: string;
  permitted: boolean;
  reasons: string[];
}
interface Standing {
  agreement: string;
  uses: number;
  limit: number | null;
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

const keep = process.argv.includes('--keep');
const providerPort = Number(process.env['DEMO_PROVIDER_PORT'] ?? 8443);
const consumerPort = Number(process.env['DEMO_CONSUMER_PORT'] ?? 8444);
const attachTo = { provider: process.env['DEMO_PROVIDER_URL'], consumer: process.env['DEMO_CONSUMER_URL'] };
const attached = attachTo.provider !== undefined && attachTo.consumer !== undefined;
const certs = process.env['FEP_CERTS_DIR'] ?? join(PROJECT_ROOT, 'certs');
const password = (attached ? process.env['FEP_ADMIN_PASSWORD'] : undefined) ?? randomBytes(12).toString('base64url');
const auth = 'Basic ' + Buffer.from(`admin:${password}`).toString('base64');

interface Node {
  name: string;
  url: string;
  child?: ChildProcess;
  log: string[];
}

function start(name: string, port: number, demo: boolean): Node {
  const dataDir = join(PROJECT_ROOT, 'data-pair', name);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const url = `https://localhost:${port}`;
  const child = spawn(process.execPath, [...NODE_FLAGS, join(PROJECT_ROOT, 'dist', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      FEP_PUBLIC_URL: url,
      FEP_CONNECTOR_ID: `https://${name}.demo.local/`,
      FEP_TITLE: `demo ${name}`,
      FEP_DATA_DIR: dataDir,
      FEP_CERTS_DIR: certs,
      FEP_DAPS_MODE: 'dev',
      FEP_DEMO: demo ? 'true' : 'false',
      FEP_ADMIN_PASSWORD: password,
      FEP_LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const node: Node = { name, url, child, log: [] };
  const keepLine = (chunk: Buffer): void => {
    node.log.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((l) => l !== ''),
    );
  };
  child.stdout?.on('data', keepLine);
  child.stderr?.on('data', keepLine);
  return node;
}

let client: HttpFetch | undefined;
/** The admin client, trusting the dev CA (read once it exists: the first node generates it). */
const http = (): HttpFetch => (client ??= httpClient({ ca: [readFileSync(join(certs, 'dev-ca.crt.pem'), 'utf8')] }));

async function call<T = Json>(node: Node, method: string, path: string, body?: unknown): Promise<T> {
  const response = await http()(node.url + path, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${node.name}: ${method} ${path} answered ${response.status}: ${text}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
}

async function up(node: Node): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (node.child !== undefined && node.child.exitCode !== null) throw new Error(`${node.name} exited:\n${node.log.join('\n')}`);
    try {
      const response = await http()(`${node.url}/health`);
      response.body.resume();
      if (response.ok) return;
    } catch {
      // not up yet (or the dev CA not generated yet)
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${node.name} did not come up:\n${node.log.join('\n')}`);
}

function step(text: string): void {
  console.log(`\n== ${text}`);
}

async function walkThrough(provider: Node, consumer: Node): Promise<void> {
  step(`provider ${provider.url} offers pump events under N_TIMES_USAGE (3) + USAGE_LOGGING`);
  const resource = await call<Element>(provider, 'POST', '/api/resources', { title: 'Pump maintenance events', languages: ['EN'] });
  const representation = await call<Element>(provider, 'POST', '/api/representations', {
    resourceId: resource.id,
    mediaType: 'application/json',
  });
  const artifact = await call<Element>(provider, 'POST', '/api/artifacts', {
    representationId: representation.id,
    fileName: 'events.json',
  });
  const events = JSON.stringify([{ pump: 'P-101', event: 'bearing wear', zone: 'C' }]);
  const uploaded = await http()(`${provider.url}/api/artifacts/${artifact.id}/data`, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/octet-stream' },
    body: events,
  });
  if (!uploaded.ok) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
  const policy = await call(provider, 'POST', '/api/policies/offers', {
    target: artifact.iri,
    patterns: [{ pattern: 'N_TIMES_USAGE', parameters: { count: '3' } }, { pattern: 'USAGE_LOGGING' }],
  });
  await call(provider, 'POST', '/api/contract-offers', { resourceId: resource.id, offer: policy });
  console.log(`artifact ${artifact.iri}`);

  step(`consumer ${consumer.url} describes the provider`);
  const description = await call(consumer, 'POST', '/api/consumer/describe', { url: `${provider.url}/data` });
  const offered = list(description['ids:resourceCatalog']).flatMap((c) => list(c['ids:offeredResource']));
  const title = list(description['ids:title'])[0]?.['@value'];
  console.log(`${typeof title === 'string' ? title : provider.name}: ${offered.length} resource(s) offered`);
  const offer = list(offered.find((r) => r['@id'] === resource.iri)?.['ids:contractOffer'])[0];
  if (offer === undefined) throw new Error('the new resource, with its offer, is not in the description');

  step('consumer negotiates the offer');
  const agreement = await call<Element>(consumer, 'POST', '/api/consumer/negotiate', { url: `${provider.url}/data`, offer });
  console.log(`agreement ${agreement.iri}`);

  step('consumer fetches the artifact under the agreement, and reads it');
  const received = await call<Received>(consumer, 'POST', '/api/consumer/fetch', {
    url: `${provider.url}/data`,
    artifact: artifact.iri,
    agreement: agreement.iri,
  });
  const read = await http()(`${consumer.url}/api/consumer/artifacts/${received.id}/data`, {
    headers: { authorization: auth },
  });
  console.log(`received ${received.byteSize} bytes (SHA-256 ${received.checksum}): ${await read.text()}`);

  step('usage logs: every decision, on both sides');
  for (const node of [provider, consumer]) {
    const log = await call<{ items: LogEntry[] }>(node, 'GET', `/api/usage/log?agreement=${encodeURIComponent(agreement.iri)}`);
    for (const entry of log.items) {
      console.log(`${node.name}: ${entry.at} ${entry.side} ${entry.permitted ? 'permitted' : 'denied'} (${entry.reasons.join('; ')})`);
    }
  }
  const live = await call<{ agreements: Standing[] }>(provider, 'GET', '/api/live/snapshot');
  const standing = live.agreements.find((a) => a.agreement === agreement.iri);
  console.log(`provider: ${standing?.uses ?? '?'} of ${standing?.limit ?? '?'} uses spent`);
}

const provider: Node = attached ? { name: 'provider', url: attachTo.provider!, log: [] } : start('provider', providerPort, true);
const consumer: Node = attached ? { name: 'consumer', url: attachTo.consumer!, log: [] } : start('consumer', consumerPort, false);
const stop = async (): Promise<void> => {
  for (const { child } of [consumer, provider]) {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
};
try {
  await Promise.all([up(provider), up(consumer)]);
  await walkThrough(provider, consumer);
  if (attached) process.exit(0);
  console.log(`\nadmin user "admin", password ${password}`);
  console.log(`live pages: ${provider.url}/live  ${consumer.url}/live   (CA: certs/dev-ca.crt.pem)`);
  if (keep) {
    console.log('both connectors keep running; Ctrl-C stops them');
    process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  } else {
    await stop();
    console.log('stopped both (npm run demo:pair -- --keep leaves them running)');
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  await stop();
  process.exit(1);
}
