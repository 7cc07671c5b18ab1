import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../src/common/project-root.js';
import { ffmpegAvailable, RtspSource } from '../src/data-apps/occupancy/camera/rtsp.source.js';
import { freePort } from './support/free-port.js';
import { image, needsRealDetector } from './support/real-images.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/** An even UDP port with the next 40 free (RTP and RTCP pairs). */
async function freeUdpRange(count = 40): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + 2 * Math.floor(Math.random() * 10_000);
    const sockets = [];
    let ok = true;
    for (let p = base; p < base + count && ok; p++) {
      const socket = createSocket('udp4');
      ok = await new Promise<boolean>((resolve) => {
        socket.once('error', () => resolve(false));
        socket.bind(p, '127.0.0.1', () => resolve(true));
      });
      sockets.push(socket);
    }
    await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    if (ok) return base;
  }
  throw new Error('no free UDP range');
}

function started(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}): ${out}`)));
  });
}

const skip = !ffmpegAvailable()
  ? { skip: 'the RTSP test needs ffmpeg (apt-get install --no-install-recommends ffmpeg; .ci/run does)' }
  : needsRealDetector('the RTSP test');

/** A real RTSP stream (ffmpeg publishing opencv's pedestrian video to an RTSP server) read through ffmpeg. */
describe('occupancy from an RTSP camera through ffmpeg (e2e)', skip, () => {
  let server: ChildProcess;
  let publisher: ChildProcess;
  let app: TestApp;
  let url: string;

  before(async () => {
    const [publish, client] = [await freePort(), await freePort()];
    server = spawn(
      process.execPath,
      [
        join(PROJECT_ROOT, 'dist-test', 'test', 'support', 'rtsp-server.main.js'),
        String(publish),
        String(client),
        String(await freeUdpRange()),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await started(server, 'the RTSP server');
    publisher = spawn(
      'ffmpeg',
      [
        '-v',
        'error',
        '-re',
        '-stream_loop',
        '-1',
        '-i',
        image('vtest.avi'),
        '-an',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'zerolatency',
        '-g',
        '10',
        '-f',
        'rtsp',
        `rtsp://127.0.0.1:${publish}/cam`,
      ],
      { stdio: 'ignore' },
    );
    url = `rtsp://127.0.0.1:${client}/cam`;
    app = await startTestApp();
  });
  after(async () => {
    await app?.close();
    publisher?.kill('SIGKILL');
    server?.kill('SIGKILL');
  });

  it('reads JPEG frames from ffmpeg at the analysis rate', async () => {
    const source = new RtspSource(url, 'udp', 500, 10_000);
    const frames: Buffer[] = [];
    source.start((f) => frames.push(f));
    try {
      await waitFor('frames from the RTSP stream', () => frames.length >= 3, 30_000);
      assert.equal(source.status.state, 'streaming');
      assert.ok(
        frames.every((f) => f[0] === 0xff && f[1] === 0xd8 && f.at(-2) === 0xff && f.at(-1) === 0xd9),
        'whole JPEGs',
      );
    } finally {
      await source.stop();
    }
  });

  it('counts the pedestrians of the stream with the occupancy app', async () => {
    const set = await app.call('PUT', '/api/apps/occupancy/config', {
      json: {
        cameras: [{ id: 'street', source: { kind: 'rtsp', url, transport: 'udp' }, intervalMs: 1000 }],
        smoothing: { window: 3, hysteresis: 1, holdSeconds: 1 },
      },
    });
    assert.equal(set.status, 200, set.text);
    await app.call('POST', '/api/apps/occupancy/start');
    const count = await waitFor(
      'a count from the RTSP camera',
      async () => {
        const view = (await app.call('GET', '/api/apps/occupancy/outputs/occupancy')).json<Json>();
        return view.current['street/all']?.value.count as number | undefined;
      },
      60_000,
    );
    assert.ok(count >= 2 && count <= 10, `people in the street: ${count}`);
    const s = (await app.call('GET', '/api/apps/occupancy')).json<Json>();
    assert.equal(s.sources.street.state, 'streaming');
  });
});
