import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { outputIris } from '../src/data-apps/output.publisher.js';
import { RtspSource } from '../src/data-apps/occupancy/camera/rtsp.source.js';
import { DEFAULT_MODEL } from '../src/data-apps/occupancy/occupancy.app.js';
import { demoFrames, DEMO_PHOTO } from '../src/data-apps/occupancy/simulator/demo-frames.js';
import { FakeCamera } from '../src/data-apps/occupancy/simulator/fake-camera.server.js';
import { fakeYoloModel } from './support/fake-yolo.model.js';
import { readmeExamples } from './support/readme.examples.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { fetchArtifact, negotiate } from './support/usage.fixtures.js';
import { waitFor } from './support/wait.js';
import { existsSync } from 'node:fs';

type Json = Record<string, any>;
const ready = existsSync(DEFAULT_MODEL) && existsSync(DEMO_PHOTO);
const skip = ready
  ? {}
  : { skip: `the occupancy e2e needs ${DEFAULT_MODEL} and ${DEMO_PHOTO} (npm ci installs them; npm run assets:fetch)` };

/** Fast smoothing, so that a scene change shows within seconds. */
function config(camera: Json, extra: Json = {}): Json {
  return {
    cameras: [{ id: 'lobby', intervalMs: 500, ...camera }],
    smoothing: { window: 3, hysteresis: 1, holdSeconds: 1 },
    series: { resolutionSeconds: 2 },
    ...extra,
  };
}

async function status(app: TestApp): Promise<Json> {
  return (await app.call('GET', '/api/apps/occupancy')).json<Json>();
}

/** The provider's IDS endpoint answers a real consumer (with its DAT) with the self-description. */
async function answersData(consumer: TestApp, provider: TestApp): Promise<void> {
  const described = await consumer.call('POST', '/api/consumer/describe', { json: { url: `${provider.baseUrl}/data` } });
  assert.equal(described.status, 200, described.text);
}

describe('occupancy app: a camera, the detector, counts per zone, a consumer connector (e2e)', skip, () => {
  let daps: TestDaps;
  let parties: Record<string, Party>;
  let provider: TestApp;
  let consumer: TestApp;
  let camera: FakeCamera;
  let scenes: Buffer[];

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer']);
    parties = pki.parties;
    for (const party of Object.values(parties)) register(daps, party);
    scenes = await demoFrames(); // real photos: nobody, one person, three, a crowd
    camera = await new FakeCamera({ frames: [scenes[1]], auth: { user: 'viewer', password: 'cam-pass', scheme: 'digest' } }).start();
    provider = await startTestApp(omejdnEnv(parties['provider'], pki.caFile, daps));
    consumer = await startTestApp(omejdnEnv(parties['consumer'], pki.caFile, daps));
  });
  after(async () => {
    await consumer.close();
    await provider.close();
    await camera.stop();
    await daps.stop();
  });

  it('counts the people of a Digest-protected snapshot camera, and follows the scene as it changes', async () => {
    const set = await provider.call('PUT', '/api/apps/occupancy/config', {
      json: config({ source: { kind: 'snapshot', url: `${camera.url}/snapshot.jpg`, auth: { user: 'viewer', password: 'cam-pass' } } }),
    });
    assert.equal(set.status, 200, set.text);
    assert.equal((await provider.call('POST', '/api/apps/occupancy/start')).json<Json>().state, 'running');
    const one = await waitFor(
      'one person reported',
      async () => {
        const view = (await provider.call('GET', '/api/apps/occupancy/outputs/occupancy')).json<Json>();
        return view.current['lobby/all']?.value.count === 1 ? view : undefined;
      },
      30_000,
    );
    assert.equal(one.current['lobby/all'].value.zone, 'all');
    assert.ok(camera.requests.authorised > 0);
    camera.show([scenes[2]]);
    await waitFor(
      'three people reported',
      async () => {
        const view = (await provider.call('GET', '/api/apps/occupancy/outputs/occupancy')).json<Json>();
        return view.current['lobby/all']?.value.count === 3;
      },
      30_000,
    );
    const changes = (await provider.call('GET', '/api/apps/occupancy/outputs/changes/history'))
      .json<Json>()
      .items.map((e: Json) => [e.value.from, e.value.to]);
    assert.deepEqual(changes, [
      [null, 1],
      [1, 3],
    ]);
    const shown = (await provider.call('GET', '/api/apps/occupancy/config')).json<Json>();
    assert.equal(shown.cameras[0].source.auth.password, '********', 'the admin API does not show the camera password');
  });

  it('a consumer negotiates the change events’ offer and receives them, under the default policy', async () => {
    const iris = outputIris(provider.config.connector.id, 'occupancy', 'changes');
    const resources = (await provider.call('GET', '/api/resources?size=100')).json<Json>().items as Json[];
    const resource = resources.find((r) => r.iri === iris.resource)!;
    const offer = (await provider.call('GET', `/api/contract-offers?resourceId=${resource.id}`)).json<Json>().items[0];
    const agreement = await negotiate(consumer, provider, offer);
    const fetched = await fetchArtifact(consumer, provider, iris.artifact, agreement.iri);
    assert.equal(fetched.status, 200, fetched.text);
    const data = (await consumer.call('GET', `/api/consumer/artifacts/${fetched.json<Json>().id}/data`)).json<Json>();
    assert.deepEqual(
      data.history.map((e: Json) => e.value.to),
      [1, 3],
    );
    // What the README documents is what is served.
    assert.deepEqual(Object.keys(data.history[1].value).sort(), Object.keys(readmeExamples().get('occupancy-change') as Json).sort());
    const log = (await provider.call('GET', `/api/usage/log?agreement=${encodeURIComponent(agreement.iri)}`)).json<Json>();
    assert.equal(log.items[0].permitted, true);
  });

  it('counts per zone by where people stand, from an MJPEG stream with Basic auth, dropping frames it has no time for', async () => {
    const mjpeg = await new FakeCamera({ frames: [scenes[2]], fps: 10, auth: { user: 'u', password: 'p', scheme: 'basic' } }).start();
    try {
      // Left and right halves of the 640 x 480 frame.
      const zones = [
        {
          id: 'left',
          polygon: [
            [0, 0],
            [320, 0],
            [320, 480],
            [0, 480],
          ],
        },
        {
          id: 'right',
          polygon: [
            [320, 0],
            [640, 0],
            [640, 480],
            [320, 480],
          ],
        },
      ];
      const set = await provider.call('PUT', '/api/apps/occupancy/config', {
        json: config({ source: { kind: 'mjpeg', url: `${mjpeg.url}/stream`, auth: { user: 'u', password: 'p' } }, zones }),
      });
      assert.equal(set.status, 200, set.text);
      const counts = await waitFor(
        'both zones reported',
        async () => {
          const view = (await provider.call('GET', '/api/apps/occupancy/outputs/occupancy')).json<Json>();
          const left = view.current['lobby/left']?.value.count;
          const right = view.current['lobby/right']?.value.count;
          return left !== undefined && right !== undefined ? { left, right } : undefined;
        },
        30_000,
      );
      assert.equal(counts.left + counts.right, 3, JSON.stringify(counts));
      const s = await status(provider);
      assert.equal(s.sources.lobby.state, 'streaming');
      assert.ok(s.counters.framesDropped > 0, 'a 10 fps stream, one frame analysed every 500 ms: the rest are dropped');
      assert.ok(s.counters.framesReceived > s.counters.framesAnalysed);
    } finally {
      await mjpeg.stop();
    }
  });

  it('a camera that stalls, sends garbage or closes mid-frame is a status; the app runs on and /data answers', async () => {
    const faulty = await new FakeCamera({ frames: [scenes[1]] }).start();
    try {
      const set = await provider.call('PUT', '/api/apps/occupancy/config', {
        json: config({ source: { kind: 'snapshot', url: `${faulty.url}/snapshot.jpg`, timeoutMs: 500 } }),
      });
      assert.equal(set.status, 200, set.text);
      await waitFor('frames', async () => (await status(provider)).counters.framesAnalysed > 0, 30_000);
      for (const [fault, expected] of [
        ['garbage', /not a JPEG/],
        ['close-mid-frame', /middle of a frame|broke off/],
        ['stall', /no answer within 500 ms/],
      ] as const) {
        faulty.fault = fault;
        const s = await waitFor(
          `the ${fault} in the status`,
          async () => {
            const now = await status(provider);
            return expected.test(now.sources.lobby.lastError ?? '') ? now : undefined;
          },
          20_000,
        );
        assert.equal(s.state, 'running', fault);
        await answersData(consumer, provider);
        faulty.fault = 'none';
        await waitFor(`frames again after the ${fault}`, async () => (await status(provider)).sources.lobby.state === 'polling', 40_000);
      }
      const s = await status(provider);
      assert.ok(s.counters.invalidFrames >= 1 && s.counters.reconnects >= 2, JSON.stringify(s.counters));
    } finally {
      await faulty.stop();
    }
  });

  it('an RTSP camera without ffmpeg installed says so', async () => {
    const source = new RtspSource('rtsp://127.0.0.1:1/none', 'tcp', 1000, 1000, 'ffmpeg-not-installed-here');
    source.start(() => undefined);
    assert.equal(source.status.state, 'ffmpeg not installed');
    assert.match(source.status.lastError!, /apt-get install --no-install-recommends ffmpeg/);
    await source.stop();
  });

  it('refuses a model file that is not there, naming the field', async () => {
    const bad = await provider.call('PUT', '/api/apps/occupancy/config', {
      json: config(
        { source: { kind: 'snapshot', url: `${camera.url}/snapshot.jpg` } },
        { detection: { model: '/nonexistent/model.onnx' } },
      ),
    });
    assert.equal(bad.status, 400);
    assert.match(bad.json<Json>().message, /config\.detection\.model: cannot read \/nonexistent\/model\.onnx/);
    assert.ok(readFileSync(DEFAULT_MODEL).length > 1_000_000);
  });

  it('tries a configured model when it is set: a file that is no detector is a 400, another YOLO size is taken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fep-models-'));
    try {
      const notModel = join(dir, 'photo.onnx');
      writeFileSync(notModel, scenes[0]);
      const camera1 = { source: { kind: 'snapshot', url: `${camera.url}/snapshot.jpg` } };
      const bad = await provider.call('PUT', '/api/apps/occupancy/config', { json: config(camera1, { detection: { model: notModel } }) });
      assert.equal(bad.status, 400, bad.text);
      assert.match(bad.json<Json>().message, /config\.detection\.model: is not a YOLOv5\/v8 detector/);
      const small = join(dir, 'yolo-320.onnx');
      writeFileSync(small, fakeYoloModel([[160, 160, 40, 80, 0.9]], 320, 2100));
      const good = await provider.call('PUT', '/api/apps/occupancy/config', { json: config(camera1, { detection: { model: small } }) });
      assert.equal(good.status, 200, good.text);
      assert.equal((await provider.call('GET', '/api/apps/occupancy/config')).json<Json>().detection.model, small);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
