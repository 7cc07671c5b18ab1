import type { JsonValue } from '../../common/json.js';
import type { AppTaskPool, DataAppContext } from '../data-app.contract.js';
import type { AnalysisResult, AnalysisTask, ModelRef } from './analysis.worker.js';
import { baselineOf, ChannelCondition, type Baseline, type EventDraft } from './condition.analytics.js';
import { ModbusReadError } from './modbus/modbus.link.js';
import type { WaveformReader } from './modbus/waveform.reader.js';
import { fitPca, type PcaModel } from './pca.analytics.js';
import type { AssetConfig, ChannelConfig, VibrationConfig } from './vibration-config.parser.js';
import { limitsOf, velocityBandOf } from './vibration-config.parser.js';
import { zoneOf, ZONES, type Zone } from './severity.analytics.js';
import { bearingFrequencies, type AnalysisSettings, type WindowAnalysis } from './vibration.analytics.js';
import { WindowAssembler, type AssembledWindow } from './window.analytics.js';

/** What the app remembers per channel: the healthy baseline and the model fitted on it. */
interface Learned {
  /** 2: the health index's log-logistic scale (a baseline of version 1 is learned again). */
  version: 2;
  baseline: Baseline;
  pca: PcaModel;
  windows: number;
  learnedAt: string;
}

const LEARNED_VERSION = 2;
/** While learning, the velocity and acceleration RMS may move this much (median of the last third against the first). */
const STABLE_RATIO = 1.15;

export interface ChannelCounters {
  windows: number;
  analysed: number;
  partial: number;
  dropped: number;
  events: number;
  analysisMicros: number;
}

/** Analyses in flight per channel at most: above it a window is dropped (and counted), never queued without bound. */
const MAX_IN_FLIGHT = 4;

export type EventSink = (draft: EventDraft, channel: string) => Promise<void>;

/**
 * One waveform channel: reads through its reader, cuts windows, has them analysed in the worker pool, stores them,
 * judges them, and learns its healthy baseline (then builds the default ONNX health model from it).
 */
export class ChannelPipeline {
  readonly counters: ChannelCounters = { windows: 0, analysed: 0, partial: 0, dropped: 0, events: 0, analysisMicros: 0 };
  readonly condition: ChannelCondition;
  private readonly assembler: WindowAssembler;
  private readonly settings: AnalysisSettings;
  private inFlight = 0;
  private learning: { analyses: WindowAnalysis[]; features: number[][] } | undefined = { analyses: [], features: [] };
  private model: ModelRef | undefined;
  /** The zone last remembered for this channel. */
  private judged: Zone | undefined;
  lastAnalysis: WindowAnalysis | undefined;

  constructor(
    private readonly asset: AssetConfig,
    readonly channel: ChannelConfig,
    private readonly config: VibrationConfig,
    readonly reader: WaveformReader,
    private readonly pool: AppTaskPool<AnalysisTask, AnalysisResult>,
    private readonly context: DataAppContext,
    private readonly sink: EventSink,
    private readonly userModel: ModelRef | undefined,
  ) {
    const fs = channel.waveform.sampleRateHz;
    this.assembler = new WindowAssembler(config.analysis.windowSamples, fs);
    this.settings = {
      sampleRateHz: fs,
      shaftHz: asset.machine.rpm / 60,
      pistons: asset.machine.pistons,
      bearing: asset.machine.bearing,
      velocityBand: velocityBandOf(fs),
      resonanceBand: config.analysis.resonanceBand,
    };
    this.condition = new ChannelCondition(limitsOf(asset.machine), bearingFrequencies(asset.machine.bearing, asset.machine.rpm / 60), config.events, undefined);
    this.model = userModel;
  }

  private get key(): string {
    return `baseline:${this.asset.id}/${this.channel.id}`;
  }

  private get zoneKey(): string {
    return `zone:${this.asset.id}/${this.channel.id}`;
  }

  /**
   * Restores a baseline learned before (a restart does not learn again from a machine that may have degraded), and
   * the zone last judged, so that a restart of the app or the node raises no zone change the machine did not make.
   */
  async restore(): Promise<void> {
    const zone = await this.context.recall(this.zoneKey);
    if (typeof zone === 'string' && ZONES.includes(zone as Zone)) {
      this.condition.restoreZone(zone as Zone);
      this.judged = zone as Zone;
    }
    const learned = (await this.context.recall(this.key)) as unknown as Learned | undefined | null;
    if (learned?.baseline === undefined || learned.pca === undefined) return;
    if (learned.version !== LEARNED_VERSION) {
      this.context.log(`${this.asset.id}/${this.channel.id}: the healthy baseline is of an older health scale: learning it again`);
      return;
    }
    this.adopt(learned);
  }

  /** Forgets the learned baseline and learns again from the next windows (an operator's request after a repair). */
  async rebaseline(): Promise<void> {
    await this.context.remember(this.key, null);
    this.learning = { analyses: [], features: [] };
    this.model = this.userModel;
    this.condition.clearBaseline();
    this.condition.setLearning('learning', null);
  }
  /** Reads what is new and hands out its windows; a Modbus failure is the link's state, not the app's. */
  async pass(): Promise<void> {
    let chunks;
    try {
      chunks = await this.reader.pass();
    } catch (error) {
      if (error instanceof ModbusReadError) return;
      throw error;
    }
    const now = this.context.clock.now().getTime();
    for (const chunk of chunks) for (const window of this.assembler.push(chunk, now)) this.submit(window);
  }

  private submit(window: AssembledWindow): void {
    this.counters.windows++;
    if (!window.complete) this.counters.partial++;
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.counters.dropped++;
      return;
    }
    this.inFlight++;
    const { waveform } = this.channel;
    const samples = window.counts.length; // the buffer is moved to the worker
    const task: AnalysisTask = {
      counts: window.counts,
      scale: waveform.scale,
      startMs: window.startMs,
      sampleRateHz: waveform.sampleRateHz,
      missing: window.missing,
      analyse: window.complete,
      settings: this.settings,
      ...(this.model === undefined ? {} : { model: this.model }),
    };
    this.pool
      .run(task, [window.counts.buffer as ArrayBuffer])
      .then((result) => this.take(window, samples, result))
      .catch((error: unknown) => this.context.fail(error))
      .finally(() => this.inFlight--);
  }

  private async take(window: AssembledWindow, samples: number, result: AnalysisResult): Promise<void> {
    this.counters.analysisMicros += result.micros;
    const indicators: Record<string, JsonValue> =
      result.analysis === undefined
        ? { partial: true, cutBy: window.missing < 0 ? 'plc-restart' : 'gap' }
        : { ...(result.analysis as unknown as Record<string, JsonValue>), ...(result.health === undefined ? {} : { health: result.health }) };
    this.context.store({
      asset: this.asset.id,
      channel: this.channel.id,
      startMs: window.startMs,
      sampleRateHz: this.channel.waveform.sampleRateHz,
      scale: this.channel.waveform.scale,
      missing: window.missing,
      samples,
      frame: result.frame,
      indicators,
    });
    if (result.analysis === undefined) return;
    this.counters.analysed++;
    this.lastAnalysis = result.analysis;
    const drafts = this.condition.observe(window.startMs, result.analysis, result.health);
    const zone = this.condition.state().zone;
    if (zone !== null && zone !== this.judged) {
      this.judged = zone;
      await this.context.remember(this.zoneKey, zone);
    }
    for (const draft of drafts) {
      this.counters.events++;
      await this.sink(draft, this.channel.id);
    }
    if (this.learning !== undefined) await this.learn(result);
  }

  /**
   * A baseline is learned only from a machine that is plausibly healthy: every window in zone A or B (ISO 10816-3:
   * acceptable for long-term operation), and the velocity and acceleration RMS stable over the set (the last third
   * within 15 % of the first; a machine still settling, or degrading, is not a reference). Otherwise the app says why
   * it is not learning (the condition's `baselineNote`, and one log line per reason) and starts over.
   */
  private async learn(result: AnalysisResult): Promise<void> {
    const learning = this.learning!;
    const a = result.analysis!;
    const zone = zoneOf(a.vRms, limitsOf(this.asset.machine));
    if (zone === 'C' || zone === 'D') {
      learning.analyses = [];
      learning.features = [];
      this.wait(`velocity RMS ${a.vRms.toFixed(2)} mm/s is in zone ${zone}: a healthy baseline is learned only in zones A and B`);
      return;
    }
    learning.analyses.push(a);
    learning.features.push(result.features!);
    if (learning.analyses.length < this.config.events.baselineWindows) {
      this.wait(null);
      return;
    }
    const drift = driftOf(learning.analyses);
    if (drift !== undefined) {
      // Keep the newer half: a machine that settles is learned once it has.
      const keep = Math.floor(learning.analyses.length / 2);
      learning.analyses = learning.analyses.slice(-keep);
      learning.features = learning.features.slice(-keep);
      this.wait(`the indicators are not stable: ${drift} over the last ${this.config.events.baselineWindows} windows`);
      return;
    }
    const learned: Learned = {
      version: LEARNED_VERSION,
      baseline: baselineOf(learning.analyses),
      pca: fitPca(learning.features, 2),
      windows: learning.analyses.length,
      learnedAt: this.context.clock.now().toISOString(),
    };
    this.adopt(learned);
    await this.context.remember(this.key, learned as unknown as JsonValue);
    this.context.log(`${this.asset.id}/${this.channel.id}: healthy baseline learned from ${learned.windows} windows (median velocity RMS ${medianOf(learning.analyses.map((w) => w.vRms)).toFixed(2)} mm/s)`);
  }

  private wait(reason: string | null): void {
    // One log line per reason (the part before the colon), not per window.
    if (reason !== null && reason.split(':')[0] !== this.condition.learningNote?.split(':')[0]) {
      this.context.log(`${this.asset.id}/${this.channel.id}: not learning a healthy baseline: ${reason}`);
    }
    this.condition.setLearning(reason === null ? 'learning' : 'waiting', reason);
  }

  private adopt(learned: Learned): void {
    this.learning = undefined;
    this.condition.setBaseline(learned.baseline);
    // The default model with this channel's parameters, unless the operator configured a model file.
    this.model ??= { kind: 'default', parameters: learned.pca };
  }
}

/** How the velocity or acceleration RMS moved over a learning set (last third's median against the first's), if too much. */
function driftOf(windows: readonly WindowAnalysis[]): string | undefined {
  const third = Math.max(1, Math.floor(windows.length / 3));
  for (const [name, pick] of [
    ['velocity RMS', (w: WindowAnalysis) => w.vRms],
    ['acceleration RMS', (w: WindowAnalysis) => w.aRms],
  ] as const) {
    const first = medianOf(windows.slice(0, third).map(pick));
    const last = medianOf(windows.slice(-third).map(pick));
    const ratio = last / first;
    if (!(ratio <= STABLE_RATIO && ratio >= 1 / STABLE_RATIO)) return `${name} moved ${Math.round((ratio - 1) * 100)} %`;
  }
  return undefined;
}

function medianOf(values: number[]): number {
  return [...values].sort((x, y) => x - y)[values.length >> 1];
}
