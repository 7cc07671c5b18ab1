import { Injectable } from '@nestjs/common';
import {
  DataAppPlugin,
  type DataApp,
  type DataAppContext,
  type DataAppRun,
  type ParsedConfig,
} from '../../src/data-apps/data-app.contract.js';
import type { AnalysisResult, AnalysisTask } from '../../src/data-apps/vibration/analysis.worker.js';
import { ChannelPipeline } from '../../src/data-apps/vibration/channel.pipeline.js';
import type { ReaderStats, SampleChunk, WaveformReader } from '../../src/data-apps/vibration/modbus/waveform.reader.js';
import { HEALTHY_PUMP, PumpSignal } from '../../src/data-apps/vibration/simulator/pump-signal.generator.js';
import { parseVibrationConfig, type AssetConfig, type VibrationConfig } from '../../src/data-apps/vibration/vibration-config.parser.js';

/** 60 s of a pump signal at 1 kHz, in int16 counts, shared by every channel (each starts at its own offset). */
const TAPE = Int16Array.from(new PumpSignal(HEALTHY_PUMP, 1000, 1).next(60_000), (v) => Math.round(v / 0.001));

/** A channel fed in real time from the tape, as a PLC buffer would be: the samples due since the last pass. */
class ReplayReader implements WaveformReader {
  readonly stats: ReaderStats = { samples: 0, gaps: 0, lostSamples: 0, restarts: 0, lastNewAt: 0 };
  private readonly started = Date.now();
  private position: number;

  constructor(offset: number) {
    this.position = offset;
  }

  pass(): Promise<SampleChunk[]> {
    const due = Math.floor(Date.now() - this.started) - this.stats.samples;
    if (due <= 0) return Promise.resolve([]);
    const counts = new Int16Array(due);
    for (let i = 0; i < due; i++) counts[i] = TAPE[(this.position + i) % TAPE.length]!;
    this.position += due;
    this.stats.samples += due;
    this.stats.lastNewAt = Date.now();
    return Promise.resolve([{ counts, lost: 0, restarted: false }]);
  }
}

interface LoadConfig {
  channels: number;
  windowSamples: number;
}

/**
 * The benchmark's load: `channels` vibration channels at 1 kHz each, in real time, through the vibration app's own
 * pipeline (windows, worker-thread analysis with the ONNX health index, edge store, condition rules); only the
 * Modbus reads are replaced by a tape (a thousand channels do not come over Modbus from one PLC).
 */
@Injectable()
@DataAppPlugin('bench-load')
export class BenchLoadApp implements DataApp<LoadConfig> {
  readonly title = 'Benchmark load';
  readonly description = 'N vibration channels at 1 kHz from a tape';
  readonly outputs = [{ name: 'events', title: 'Events', description: 'maintenance events', keywords: [], kind: 'events' as const }];

  defaultConfig(): LoadConfig {
    return { channels: 100, windowSamples: 4096 };
  }

  parseConfig(raw: unknown): ParsedConfig<LoadConfig> {
    const o = raw as Partial<LoadConfig> | null;
    if (typeof o?.channels !== 'number' || typeof o.windowSamples !== 'number') {
      return { ok: false, problems: [{ field: 'channels', reason: 'channels and windowSamples are numbers' }] };
    }
    return { ok: true, config: { channels: o.channels, windowSamples: o.windowSamples } };
  }

  start(config: LoadConfig, context: DataAppContext): Promise<DataAppRun> {
    const parsed = parseVibrationConfig({
      assets: [{ id: 'bench', plc: { host: '127.0.0.1', port: 1 }, channels: [{ id: 'c', waveform: { layout: 'blocks' } }] }],
      analysis: { windowSamples: config.windowSamples },
      events: { baselineWindows: 3 },
      conditionEverySeconds: 0,
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const vibration: VibrationConfig = parsed.config;
    const asset: AssetConfig = vibration.assets[0];
    const pool = context.pool<AnalysisTask, AnalysisResult>(
      'analysis',
      new URL('../../src/data-apps/vibration/analysis.worker.js', import.meta.url),
      { maxQueue: 4096 },
    );
    const pipelines = Array.from({ length: config.channels }, (_, i) => {
      const channel = { ...asset.channels[0], id: `c${i}` };
      return new ChannelPipeline(
        { ...asset, id: `bench-${i}` },
        channel,
        vibration,
        new ReplayReader((i * 997) % TAPE.length),
        pool,
        context,
        (draft) => context.emit('events', { ...draft }),
        undefined,
      );
    });
    context.every(100, async () => {
      for (const p of pipelines) await p.pass();
    });
    const sum = (pick: (p: ChannelPipeline) => number): number => pipelines.reduce((n, p) => n + pick(p), 0);
    return Promise.resolve({
      stop: () => Promise.resolve(),
      health: () => ({
        counters: {
          samples: sum((p) => p.reader.stats.samples),
          windows: sum((p) => p.counters.windows),
          windowsAnalysed: sum((p) => p.counters.analysed),
          windowsDropped: sum((p) => p.counters.dropped),
          analysisMicros: sum((p) => p.counters.analysisMicros),
        },
        sources: {},
      }),
    });
  }
}
