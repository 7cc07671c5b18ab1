import type { DataAppContext, DataAppHealth, DataAppRun } from '../data-app.contract.js';
import type { Credentials } from './camera/http-camera.client.js';
import type { FrameSource } from './camera/frame.source.js';
import { MjpegSource } from './camera/mjpeg.source.js';
import { RtspSource } from './camera/rtsp.source.js';
import { SnapshotSource } from './camera/snapshot.source.js';
import { CameraPipeline } from './camera.pipeline.js';
import type { DetectionResult, DetectionTask } from './detection.worker.js';
import type { CameraAuth, CameraConfig, OccupancyConfig } from './occupancy-config.parser.js';

async function credentials(auth: CameraAuth | null, context: DataAppContext): Promise<Credentials | null> {
  if (auth === null) return null;
  const password = auth.password ?? (await context.readSecret(auth.passwordFile!, 'auth.passwordFile'));
  return { user: auth.user, password };
}

async function sourceOf(camera: CameraConfig, context: DataAppContext): Promise<FrameSource> {
  const s = camera.source;
  switch (s.kind) {
    case 'snapshot':
      return new SnapshotSource(s.url, await credentials(s.auth, context), camera.intervalMs, s.timeoutMs);
    case 'mjpeg':
      return new MjpegSource(s.url, await credentials(s.auth, context), s.timeoutMs);
    case 'rtsp':
      return new RtspSource(s.url, s.transport, camera.intervalMs, s.timeoutMs);
  }
}

/** The source states in which a camera delivers frames. */
const UP_STATES = new Set(['streaming', 'polling', 'connected']);

/** One run of the occupancy app: a pipeline per camera, one worker pool for the detector. */
export class OccupancyRun implements DataAppRun {
  private cameras: CameraPipeline[] = [];

  constructor(
    private readonly config: OccupancyConfig,
    private readonly model: string,
    private readonly context: DataAppContext,
  ) {}

  async start(): Promise<this> {
    // One frame in flight per camera, a few waiting at most: the pool never queues without bound.
    const pool = this.context.pool<DetectionTask, DetectionResult>('detector', new URL('./detection.worker.js', import.meta.url), {
      maxQueue: Math.max(4, this.config.cameras.length),
    });
    // The model is loaded once in the worker, and tells its input size: a model that is no detector fails the start.
    const { size } = await pool.run({ kind: 'probe', model: this.model, threads: this.config.detection.threads });
    for (const camera of this.config.cameras) {
      this.cameras.push(new CameraPipeline(camera, this.config, this.model, size, await sourceOf(camera, this.context), pool, this.context));
    }
    for (const camera of this.cameras) camera.start();
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all(this.cameras.map((c) => c.stop()));
  }

  health(): DataAppHealth {
    const sum = (pick: (c: CameraPipeline) => number): number => this.cameras.reduce((n, c) => n + pick(c), 0);
    const analysed = sum((c) => c.counters.framesAnalysed);
    return {
      counters: {
        cameras: this.cameras.length,
        framesReceived: sum((c) => c.counters.framesReceived),
        framesAnalysed: analysed,
        framesDropped: sum((c) => c.counters.framesDropped),
        framesFailed: sum((c) => c.counters.framesFailed),
        framesRefused: sum((c) => c.counters.framesRefused),
        invalidFrames: sum((c) => c.source.status.invalid),
        reconnects: sum((c) => c.source.status.reconnects),
        changes: sum((c) => c.counters.changes),
        msPerFrame: analysed === 0 ? 0 : Math.round(sum((c) => c.counters.detectMs) / analysed),
      },
      sources: Object.fromEntries(
        this.cameras.map((c) => [
          c.camera.id,
          {
            state: c.source.status.state,
            since: c.source.status.since.toISOString(),
            lastError: c.source.status.lastError ?? c.lastError,
            up: UP_STATES.has(c.source.status.state),
          },
        ]),
      ),
    };
  }
}
