/**
 * The set-up of the "exchange" bench and profile: a test DAPS, a provider connector process (plain HTTP, SQLite,
 * real DATs), a 1 KiB JSON artifact under a USE offer and one under N_TIMES_USAGE + USAGE_LOGGING, and the
 * client's agreements for both (negotiated once by a consumer connector with the client's identity).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http.client.js';
import { makePki, omejdnEnv, register, type Party } from '../support/pki.fixture.js';
import { startTestApp } from '../support/test-app.js';
import { TestDaps } from '../support/test-daps.server.js';

type Json = Record<string, any>;
const auth = 'Basic ' + Buffer.from('admin:bench-secret').toString('base64');

async function admin(base: string, method: string, path: string, json?: unknown, body?: Buffer): Promise<Json> {
  const res = await send(method, base + path, {
    headers: { authorization: auth, 'content-type': body ? 'application/octet-stream' : 'application/json' },
    ...(body ? { body } : json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json<Json>();
}

async function offered(base: string, bytes: Buffer, patterns: Json[]): Promise<{ artifact: string; offer: Json }> {
  const resource = await admin(base, 'POST', '/api/resources', { title: 'bench' });
  const rep = await admin(base, 'POST', '/api/representations', { resourceId: resource.id, mediaType: 'application/json' });
  const artifact = await admin(base, 'POST', '/api/artifacts', { representationId: rep.id });
  const uploaded = await admin(base, 'PUT', `/api/artifacts/${artifact.id}/data`, undefined, bytes);
  const built = await admin(base, 'POST', '/api/policies/offers', { target: uploaded.iri, patterns });
  const offer = await admin(base, 'POST', '/api/contract-offers', { resourceId: resource.id, offer: built });
  return { artifact: uploaded.iri, offer };
}

export interface Offered {
  artifact: string;
  agreement: string;
}

export interface ExchangeSetup<P> {
  base: string;
  env: Record<string, string>;
  certs: string;
  provider: P;
  client: Party;
  token: string;
  bytes: Buffer;
  use: Offered;
  counted: Offered;
  close(): Promise<void>;
}

/** `start` starts the provider process from its environment (the bench measures it; the profile adds --cpu-prof). */
export async function setupExchange<P extends { stop(): Promise<void> }>(
  start: (env: Record<string, string>, certs: string) => Promise<P>,
): Promise<ExchangeSetup<P>> {
  const root = mkdtempSync(join(tmpdir(), 'fep-bench-x-'));
  const daps = await TestDaps.start();
  const pki = makePki(['provider', 'client']);
  for (const party of Object.values(pki.parties)) register(daps, party);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...omejdnEnv(pki.parties['provider'], pki.caFile, daps),
    FEP_TLS: 'false',
    PORT: String(port),
    HOST: '127.0.0.1',
    FEP_PUBLIC_URL: base,
    FEP_DATA_DIR: join(root, 'data'),
    FEP_CERTS_DIR: join(root, 'certs'),
    FEP_ADMIN_PASSWORD: 'bench-secret',
  };
  const certs = join(root, 'certs');
  const setup: ExchangeSetup<P> = {
    base,
    env,
    certs,
    provider: await start(env, certs),
    client: pki.parties['client'],
    token: '',
    bytes: Buffer.from(JSON.stringify({ readings: randomBytes(380).toString('hex') }).padEnd(1024, ' ')),
    use: { artifact: '', agreement: '' },
    counted: { artifact: '', agreement: '' },
    close: async () => {
      await setup.provider.stop();
      await daps.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  const use = await offered(base, setup.bytes, [{ pattern: 'PROVIDE_ACCESS' }]);
  const counted = await offered(base, setup.bytes, [
    { pattern: 'N_TIMES_USAGE', parameters: { count: '1000000000' } },
    { pattern: 'USAGE_LOGGING' },
  ]);
  const consumer = await startTestApp({ ...omejdnEnv(setup.client, pki.caFile, daps), FEP_TLS: 'false' });
  try {
    for (const [target, o] of [
      [setup.use, use],
      [setup.counted, counted],
    ] as const) {
      const r = await consumer.call('POST', '/api/consumer/negotiate', { json: { url: `${base}/data`, offer: o.offer.document } });
      if (r.status !== 200) throw new Error(`negotiation failed: ${r.text}`);
      Object.assign(target, { artifact: o.artifact, agreement: r.json<Json>().iri });
    }
  } finally {
    await consumer.close();
  }
  setup.token = await daps.mint(setup.client.clientId);
  return setup;
}
