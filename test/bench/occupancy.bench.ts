/**
 * Bench section "occupancy": the camera pipeline (decode, letterbox, inference, YOLO decoding and NMS, zone counting)
 * against bare onnxruntime-node inference on the same model and frames in the same run; the event-loop delay while
 * the pipeline runs; a connector process running the occupancy app on a camera, with its RSS once the model is
 * loaded.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { SystemClock } from '../../src/common/clock.js';
import type { DataAppContext } from '../../src/data-apps/data-app.contract.js';
import { SourceState, type FrameSource, type SourceStatus } from '../../src/data-apps/occupancy/camera/frame.source.js';
import { CameraPipeline } from '../../src/data-apps/occupancy/camera.pipeline.js';
import type { DetectionResult, DetectionTask } from '../../src/data-apps/occupancy/detection.worker.js';
import { prepareFrame } from '../../src/data-apps/occupancy/frame.preparer.js';
import { DEFAULT_MODEL } from '../../src/data-apps/occupancy/occupancy.app.js';
import { parseOccupancyConfig } from '../../src/data-apps/occupancy/occupancy-config.parser.js';
import { demoFrames } from '../../src/data-apps/occupancy/simulator/demo-frames.js';
import { FakeCamera } from '../../src/data-apps/occupancy/simulator/fake-camera.server.js';
import { WorkerPool } from '../../src/runtime/worker.pool.js';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http.client.js';
import { vtestFrames } from '../support/real-images.js';
import { spawnConnector } from './bench.support.js';

type Json = Record<string, any>;
const SECONDS = Number(process.env['BENCH_OCCUPANCY_SECONDS'] ?? 20);

/** Frames always waiting, as a busy camera delivers them: the pipeline takes the newest each time. */
class FloodSource implements FrameSource {
  private readonly state = new SourceState();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly frames: Buffer[]) {}

  get status(): SourceStatus {
    return this.state.status;
  }

  start(onFrame: (jpeg: Buffer) => void): void {
    let i = 0;
    this.timer = setInterval(() => onFrame(this.frames[i++ % this.frames.length]), 5);
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return Promise.resolve();
  }
}

async function bareInference(frames: Buffer[], threads: number, seconds: number): Promise<number> {
  const session = await ort.InferenceSession.create(DEFAULT_MODEL, { graphOptimizationLevel: 'all', intraOpNumThreads: threads });
  const tensors = await Promise.all(
    frames.map(async (f) => {
      const { rgb } = await prepareFrame(f, 640);
      const t = new Float32Array(3 * 640 * 640);
      for (let i = 0, p = 0; i < 640 * 640; i++, p += 3) {
        t[i] = rgb[p] / 255;
        t[640 * 640 + i] = rgb[p + 1] / 255;
        t[2 * 640 * 640 + i] = rgb[p + 2] / 255;
      }
      return new ort.Tensor('float32', t, [1, 3, 640, 640]);
    }),
  );
  for (let i = 0; i < 3; i++) await session.run({ images: tensors[i % tensors.length] });
  let runs = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < end) await session.run({ images: tensors[runs++ % tensors.length] });
  const ms = (performance.now() - started) / runs;
  await session.release();
  return ms;
}

async function pipeline(
  frames: Buffer[],
  threads: number,
  seconds: number,
): Promise<{ msPerFrame: number; loopP99: number; loopMax: number }> {
  const parsed = parseOccupancyConfig({
    cameras: [{ id: 'bench', source: { kind: 'snapshot', url: 'http://127.0.0.1:1/x' } }],
    detection: { threads },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const camera = { ...parsed.config.cameras[0], intervalMs: 0 };
  const workers = new WorkerPool();
  const pool = workers.create<DetectionTask, DetectionResult>({
    name: 'bench',
    filename: new URL('../../src/data-apps/occupancy/detection.worker.js', import.meta.url),
    maxThreads: 1,
  });
  const context = {
    clock: new SystemClock(),
    emit: () => Promise.resolve(),
    fail: (e: unknown) => console.error(e),
  } as unknown as DataAppContext;
  const { size } = await pool.run({ kind: 'probe', model: DEFAULT_MODEL, threads });
  const run = new CameraPipeline(camera, parsed.config, DEFAULT_MODEL, size, new FloodSource(frames), pool, context);
  run.start();
  while (run.counters.framesAnalysed < 3) await new Promise((r) => setTimeout(r, 20)); // warm-up
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const before = run.counters.framesAnalysed;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const analysed = run.counters.framesAnalysed - before;
  const elapsed = performance.now() - started;
  loop.disable();
  await run.stop();
  await workers.beforeApplicationShutdown();
  return { msPerFrame: elapsed / analysed, loopP99: Math.max(0, loop.percentile(99) / 1e6 - 5), loopMax: Math.max(0, loop.max / 1e6 - 5) };
}

async function connector(frames: Buffer[], dir: string): Promise<Json> {
  const port = await freePort();
  const camera = await new FakeCamera({ frames, holdMs: 2000 }).start();
  const auth = 'Basic ' + Buffer.from('admin:bench-secret').toString('base64');
  const c = await spawnConnector(join('test', 'bench', 'bench-connector.main.js'), {
    PORT: String(port),
    HOST: '127.0.0.1',
    FEP_TLS: 'false',
    FEP_PUBLIC_URL: `http://127.0.0.1:${port}`,
    FEP_DATA_DIR: join(dir, 'data'),
    FEP_CERTS_DIR: join(dir, 'certs'),
    FEP_ADMIN_PASSWORD: 'bench-secret',
    FEP_DAPS_MODE: 'disabled',
  });
  const api = async (method: string, path: string, json?: unknown): Promise<Json> => {
    const r = await send(method, `${c.baseUrl}${path}`, {
      headers: { authorization: auth, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
    return r.status === 204 ? {} : r.json<Json>();
  };
  try {
    const idle = (await api('GET', '/api/runtime')).memory.rssBytes as number;
    await api('PUT', '/api/apps/occupancy/config', {
      cameras: [{ id: 'cam', source: { kind: 'snapshot', url: `${camera.url}/snapshot.jpg` }, intervalMs: 500 }],
    });
    await api('POST', '/api/apps/occupancy/start');
    for (let i = 0; i < 200 && ((await api('GET', '/api/apps/occupancy')).counters.framesAnalysed as number) < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await api('POST', '/api/runtime/event-loop/reset');
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const runtime = await api('GET', '/api/runtime');
    const app = await api('GET', '/api/apps/occupancy');
    return { idle, rss: runtime.memory.rssBytes, loop: runtime.eventLoopDelay, counters: app.counters };
  } finally {
    await c.stop();
    await camera.stop();
  }
}

export async function occupancyBench(): Promise<string> {
  if (!existsSync(DEFAULT_MODEL)) throw new Error(`${DEFAULT_MODEL} is missing: npm run assets:fetch`);
  const dir = mkdtempSync(join(tmpdir(), 'fep-bench-occupancy-'));
  try {
    const vtest = vtestFrames().map((f) => readFileSync(f));
    const frames = [...(await demoFrames()), ...vtest];
    const rows: string[] = [];
    for (const threads of [1, 2]) {
      const bare = await bareInference(frames, threads, SECONDS / 2);
      const full = await pipeline(frames, threads, SECONDS);
      const row = `| ${threads} | ${bare.toFixed(1)} | ${full.msPerFrame.toFixed(1)} | ${(1000 / full.msPerFrame).toFixed(1)} | ${((full.msPerFrame / bare - 1) * 100).toFixed(1)} % | ${full.loopP99.toFixed(1)} | ${full.loopMax.toFixed(1)} |`;
      console.log(row);
      rows.push(row);
    }
    const node = await connector(frames, join(dir, 'connector'));
    const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
    return `## Occupancy: camera frames through the person detector

YOLOv8n (\`resources/models/yolov8n.onnx\`, 640 x 640) on ${frames.length} real frames (the demo's four scenes${vtest.length > 0 ? ` and ${vtest.length} frames of opencv's vtest.avi, 768 x 576` : ''}).
"Bare" is \`session.run\` alone on tensors prepared beforehand, in the bench's main thread. "Pipeline" is the occupancy
app's camera pipeline fed frames faster than it can take them: decode and letterbox with sharp (on libuv's threads,
overlapping the previous frame's inference), the tensor, inference in one worker thread, YOLO decoding and NMS, zone
counting and smoothing; ms per frame is the run's time over the frames analysed. The event-loop delay is the
bench process's own while the pipeline runs (Node's histogram, every 5 ms). ${SECONDS} s per row.

| ONNX Runtime threads | bare inference ms/frame | pipeline ms/frame | pipeline frames/s | pipeline over bare | event-loop delay p99 ms | max ms |
|---|---|---|---|---|---|---|
${rows.join('\n')}

A connector process (SQLite, plain HTTP) running the occupancy app on a fake camera (snapshots every 500 ms, one
ONNX Runtime thread): RSS ${mib(node.idle)} MiB before the app started, ${mib(node.rss)} MiB with the model loaded and
running; ${node.counters.framesAnalysed} frames analysed at ${node.counters.msPerFrame} ms each; the connector's
event-loop delay p99 ${node.loop.p99Ms.toFixed(2)} ms (max ${node.loop.maxMs.toFixed(2)} ms) over ${SECONDS} s.
`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
