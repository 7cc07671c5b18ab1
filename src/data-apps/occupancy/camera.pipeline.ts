import type { JsonValue } from '../../common/json.js';
import type { AppTaskPool, DataAppContext } from '../data-app.contract.js';
import type { FrameSource } from './camera/frame.source.js';
import type { DetectionResult, DetectionTask } from './detection.worker.js';
import { jpegSize } from './camera/jpeg-stream.parser.js';
import { prepareFrame, type PreparedFrame } from './frame.preparer.js';
import type { CameraConfig, OccupancyConfig } from './occupancy-config.parser.js';
import { countInZone, OccupancySeries, OccupancySmoother } from './zone.analytics.js';

export interface CameraCounters {
  framesReceived: number;
  framesAnalysed: number;
  framesDropped: number;
  framesFailed: number;
  /** Frames over the camera's maxPixels, refused before decoding. */
  framesRefused: number;
  changes: number;
  detectMs: number;
}

interface ZoneState {
  id: string;
  smoother: OccupancySmoother;
  series: OccupancySeries;
  raw: number | null;
}

/**
 * One camera: frames from its source, at most one every `intervalMs` taken, only the latest kept while the stages
 * are busy (a frame waiting is replaced, never queued). Two stages overlap: the next frame is decoded and
 * letterboxed (sharp, on libuv's threads) while the worker runs the detector on the previous one. The boxes are
 * counted per zone, smoothed, published. Frames exist here only as buffers on their way to the worker: nothing of
 * them is kept, logged or published.
 */
export class CameraPipeline {
  readonly counters: CameraCounters = {
    framesReceived: 0,
    framesAnalysed: 0,
    framesDropped: 0,
    framesFailed: 0,
    framesRefused: 0,
    changes: 0,
    detectMs: 0,
  };
  lastError: string | null = null;
  lastPeople: number | null = null;
  private readonly zones: ZoneState[];
  private waiting: Buffer | undefined;
  private preparing = false;
  private prepared: PreparedFrame | undefined;
  private busy = false;
  private lastStart = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly camera: CameraConfig,
    private readonly config: OccupancyConfig,
    private readonly model: string,
    /** The model's input size (probed once per run). */
    private readonly size: number,
    readonly source: FrameSource,
    private readonly pool: AppTaskPool<DetectionTask, DetectionResult>,
    private readonly context: DataAppContext,
  ) {
    this.zones = camera.zones.map((z) => ({
      id: z.id,
      smoother: new OccupancySmoother({ window: config.smoothing.window, hysteresis: config.smoothing.hysteresis, holdMs: config.smoothing.holdSeconds * 1000 }),
      series: new OccupancySeries(config.series.resolutionSeconds * 1000),
      raw: null,
    }));
  }

  start(): void {
    this.source.start((jpeg) => this.offer(jpeg));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.waiting = undefined;
    await this.source.stop();
  }

  private offer(jpeg: Buffer): void {
    this.counters.framesReceived++;
    if (this.waiting !== undefined) this.counters.framesDropped++;
    this.waiting = jpeg;
    this.pump();
  }

  private pump(): void {
    if (this.stopped) return;
    this.prepareNext();
    this.detectNext();
  }

  /** Stage 1: the newest frame, once the interval has passed, decoded and letterboxed. */
  private prepareNext(): void {
    if (this.preparing || this.prepared !== undefined || this.waiting === undefined) return;
    const due = this.lastStart + this.camera.intervalMs - this.context.clock.now().getTime();
    if (due > 0) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.pump(), due);
      return;
    }
    const frame = this.waiting;
    this.waiting = undefined;
    // Dimensions from the JPEG header, before a byte is decoded: a hostile camera's 16000 x 16000 frame once took
    // the node to 1.84 GB.
    const dimensions = jpegSize(frame);
    if (dimensions === undefined || dimensions.width * dimensions.height > this.camera.maxPixels) {
      this.counters.framesRefused++;
      this.lastError =
        dimensions === undefined
          ? 'a frame was refused: no JPEG frame header'
          : `a frame of ${dimensions.width} x ${dimensions.height} pixels was refused before decoding: over this camera's maxPixels (${this.camera.maxPixels})`;
      return;
    }
    this.preparing = true;
    this.lastStart = this.context.clock.now().getTime();
    const started = performance.now();
    prepareFrame(frame, this.size, this.camera.maxPixels)
      .then(
        (prepared) => {
          this.counters.detectMs += performance.now() - started;
          this.prepared = prepared;
        },
        (error: unknown) => this.frameFailed(error),
      )
      .finally(() => {
        this.preparing = false;
        this.pump();
      });
  }

  /** Stage 2: the prepared frame to the worker. */
  private detectNext(): void {
    if (this.busy || this.prepared === undefined) return;
    const frame = this.prepared;
    this.prepared = undefined;
    this.busy = true;
    // Moved to the worker, not copied: the buffer is this frame's own unless sharp shared one.
    const rgb = frame.rgb.byteOffset === 0 && frame.rgb.byteLength === frame.rgb.buffer.byteLength ? frame.rgb : frame.rgb.slice();
    const task: DetectionTask = {
      kind: 'detect',
      rgb,
      size: frame.size,
      box: frame.box,
      model: this.model,
      threads: this.config.detection.threads,
      confidence: this.config.detection.confidence,
      iou: this.config.detection.iou,
    };
    this.pool
      .run(task, [rgb.buffer as ArrayBuffer])
      .then(
        (result) => this.take(result),
        (error: unknown) => this.frameFailed(error),
      )
      .catch((error: unknown) => this.context.fail(error))
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  /** A frame the decoder or model cannot take is the frame's problem, not the app's. */
  private frameFailed(error: unknown): void {
    this.counters.framesFailed++;
    this.lastError = `a frame could not be analysed: ${error instanceof Error ? error.message : String(error)}`;
  }

  private async take(result: DetectionResult): Promise<void> {
    const at = this.context.clock.now().getTime();
    this.counters.framesAnalysed++;
    this.counters.detectMs += result.timings.tensor + result.timings.infer + result.timings.post;
    this.lastPeople = result.boxes.length;
    const polygons = new Map(this.camera.zones.map((z) => [z.id, z.polygon]));
    for (const zone of this.zones) {
      const count = countInZone(result.boxes, polygons.get(zone.id) ?? null);
      zone.raw = count;
      const key = `${this.camera.id}/${zone.id}`;
      const change = zone.smoother.observe(count, at);
      if (change !== undefined) {
        this.counters.changes++;
        const when = new Date(at).toISOString();
        await this.context.emit('changes', { camera: this.camera.id, zone: zone.id, from: change.from, to: change.to, at: when }, key);
        await this.context.emit('occupancy', { camera: this.camera.id, zone: zone.id, count: change.to, since: when, at: when }, key);
      }
      const reported = zone.smoother.reported;
      const bucket = reported === null ? undefined : zone.series.add(reported, at);
      if (bucket !== undefined) {
        const value: Record<string, JsonValue> = {
          camera: this.camera.id,
          zone: zone.id,
          start: new Date(bucket.start).toISOString(),
          end: new Date(bucket.end).toISOString(),
          mean: bucket.mean,
          min: bucket.min,
          max: bucket.max,
          frames: bucket.frames,
        };
        await this.context.emit('series', value, key);
      }
    }
  }

  zoneView(): Record<string, JsonValue> {
    return Object.fromEntries(this.zones.map((z) => [z.id, { count: z.smoother.reported, lastFrame: z.raw }]));
  }
}
