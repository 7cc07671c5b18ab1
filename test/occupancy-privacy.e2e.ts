import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { outputIris } from '../src/data-apps/output.publisher.js';
import { DEFAULT_MODEL } from '../src/data-apps/occupancy/occupancy.app.js';
import { demoFrames, DEMO_PHOTO } from '../src/data-apps/occupancy/simulator/demo-frames.js';
import { FakeCamera } from '../src/data-apps/occupancy/simulator/fake-camera.server.js';
import { startConnectorProcess, type ConnectorProcess } from './support/connector.process.js';
import { freePort } from './support/free-port.js';
import { send } from './support/http.client.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { image, vtestFrames } from './support/real-images.js';
import { TestBroker } from './support/test-broker.server.js';
import { TestClearingHouse } from './support/test-clearing-house.server.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;
const skip =
  existsSync(DEFAULT_MODEL) && existsSync(DEMO_PHOTO)
    ? {}
    : { skip: `the privacy test needs ${DEFAULT_MODEL} and ${DEMO_PHOTO} (npm run assets:fetch)` };

/** What would betray a frame: JPEG starts, and samples of each frame's bytes (raw, hex, base64 at each alignment). */
function fingerprints(frames: Buffer[]): { binary: Buffer[]; text: string[] } {
  const binary: Buffer[] = [
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    Buffer.from([0xff, 0xd8, 0xff, 0xdb]),
    Buffer.from([0xff, 0xd8, 0xff, 0xe1]),
  ];
  const text = ['JFIF\u0000', '/9j/']; // the JFIF tag, and base64 of FF D8 FF
  for (const frame of frames) {
    for (const at of [0.4, 0.6, 0.8]) {
      const sample = frame.subarray(Math.floor(frame.length * at), Math.floor(frame.length * at) + 24);
      binary.push(sample);
      text.push(sample.toString('hex'));
      for (let shift = 0; shift < 3; shift++) text.push(sample.subarray(shift, shift + 18).toString('base64'));
    }
  }
  return { binary, text };
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function leaks(where: string, data: Buffer, marks: ReturnType<typeof fingerprints>): string[] {
  const text = data.toString('latin1');
  return [
    ...marks.binary.filter((b) => data.includes(b)).map((b) => `${where}: bytes ${b.subarray(0, 8).toString('hex')}...`),
    ...marks.text.filter((t) => text.includes(t)).map((t) => `${where}: text ${t.slice(0, 16)}...`),
  ];
}

/**
 * The privacy guarantee, proven: after a run on real frames, no frame bytes are in the provider's database, its data
 * directory or its logs, nor in anything the consumer connector, the clearing house or the broker received.
 */
describe('occupancy privacy: no frame leaves the detector (e2e, the provider as its own process)', skip, () => {
  let daps: TestDaps;
  let ch: TestClearingHouse;
  let broker: TestBroker;
  let parties: Record<string, Party>;
  let caPem: string;
  let provider: ConnectorProcess;
  let consumer: TestApp;
  let camera: FakeCamera;
  let frames: Buffer[];
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'fep-privacy-'));
  const ADMIN = { authorization: 'Basic ' + Buffer.from('admin:privacy-test').toString('base64') };
  const received: Buffer[] = [];

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer', 'clearinghouse', 'broker']);
    ({ parties, caPem } = pki);
    for (const party of Object.values(parties)) register(daps, party);
    ch = await TestClearingHouse.start(daps, parties['clearinghouse']);
    broker = await TestBroker.start(daps, parties['broker']);
    // Real photos: the demo's scenes, and Debian's when present.
    frames = [
      ...(await demoFrames()),
      ...[image('person.jpg'), ...vtestFrames().slice(0, 6)].filter(existsSync).map((f) => readFileSync(f)),
    ];
    camera = await new FakeCamera({ frames, holdMs: 700 }).start();
    const port = await freePort();
    base = `https://127.0.0.1:${port}`;
    mkdirSync(join(dir, 'data'), { recursive: true });
    const services = {
      FEP_CLEARING_HOUSE_URL: ch.url,
      FEP_BROKER_URL: broker.endpoint,
      FEP_SERVICE_POLL_MS: '100',
      FEP_SERVICE_RETRY_MAX_MS: '300',
    };
    provider = await startConnectorProcess(
      {
        ...omejdnEnv(parties['provider'], pki.caFile, daps, services),
        PORT: String(port),
        HOST: '127.0.0.1',
        FEP_PUBLIC_URL: base,
        FEP_DATA_DIR: join(dir, 'data'),
        FEP_CERTS_DIR: join(dir, 'certs'),
        FEP_ADMIN_PASSWORD: 'privacy-test',
      },
      join(dir, 'certs'),
      caPem,
    );
    consumer = await startTestApp(omejdnEnv(parties['consumer'], pki.caFile, daps, services));
  });
  after(async () => {
    await provider?.stop();
    await consumer?.close();
    await camera?.stop();
    await ch?.stop();
    await broker?.stop();
    await daps?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const admin = async (method: string, path: string, json?: unknown): Promise<Json> => {
    const r = await send(method, base + path, {
      headers: { ...ADMIN, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      ca: caPem,
    });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
    return r.json<Json>();
  };

  it('runs on real frames, and the consumer gets the counts, changes and series', async () => {
    await admin('PUT', '/api/apps/occupancy/config', {
      cameras: [{ id: 'hall', source: { kind: 'snapshot', url: `${camera.url}/snapshot.jpg` }, intervalMs: 300 }],
      smoothing: { window: 1, hysteresis: 1, holdSeconds: 0 },
      series: { resolutionSeconds: 1 },
    });
    await admin('POST', '/api/apps/occupancy/start');
    await waitFor(
      'frames analysed and changes seen',
      async () => {
        const s = await admin('GET', '/api/apps/occupancy');
        return s.counters.framesAnalysed >= frames.length && s.counters.changes >= 3;
      },
      90_000,
    );
    for (const output of ['occupancy', 'changes', 'series']) {
      const iris = outputIris(parties['provider'].connectorId, 'occupancy', output);
      const resources = (await admin('GET', '/api/resources?size=100')).items as Json[];
      const resource = resources.find((r) => r.iri === iris.resource)!;
      const offer = (await admin('GET', `/api/contract-offers?resourceId=${resource.id}`)).items[0];
      const agreed = await consumer.call('POST', '/api/consumer/negotiate', { json: { url: `${base}/data`, offer: offer.document } });
      assert.equal(agreed.status, 200, agreed.text);
      const fetched = await consumer.call('POST', '/api/consumer/fetch', {
        json: { url: `${base}/data`, artifact: iris.artifact, agreement: agreed.json<Json>().iri },
      });
      assert.equal(fetched.status, 200, fetched.text);
      const data = await consumer.call('GET', `/api/consumer/artifacts/${fetched.json<Json>().id}/data`);
      received.push(Buffer.from(data.text));
      assert.ok(data.json<Json>().history.length > 0, `${output} has values`);
    }
    await waitFor('the transfers at the clearing house', () => ch.log.length >= 6);
    await waitFor('the provider registered its outputs at the broker', () =>
      JSON.stringify([...broker.connectors.values()]).includes('apps/occupancy/changes'),
    );
  });

  it('finds no frame bytes in the database, the data directory, the logs, or anything sent out', async () => {
    await provider.stop(); // everything written and closed
    const marks = fingerprints(frames);
    // The search itself works: the frames are found where they are.
    const control = join(dir, 'control.bin');
    writeFileSync(control, Buffer.concat([Buffer.from('x'), frames[1], Buffer.from(frames[2].toString('base64'))]));
    assert.ok(leaks('control', readFileSync(control), marks).length >= 3, 'the fingerprints find frames');
    const found = [
      ...files(join(dir, 'data')).flatMap((f) => leaks(f, readFileSync(f), marks)),
      ...leaks('provider logs', Buffer.from(provider.log()), marks),
      ...files(consumer.dir).flatMap((f) => leaks(f, readFileSync(f), marks)),
      ...received.flatMap((r, i) => leaks(`consumer transfer ${i}`, r, marks)),
      ...leaks('clearing house', Buffer.from(JSON.stringify([ch.received, ch.log])), marks),
      ...leaks('broker', Buffer.from(JSON.stringify([broker.received, [...broker.connectors.values()]])), marks),
    ];
    assert.deepEqual(found, []);
    assert.ok(
      files(join(dir, 'data')).some((f) => f.endsWith('fep.sqlite')),
      'the database was searched',
    );
    assert.ok(provider.log().length > 0, 'there were logs to search');
  });
});
