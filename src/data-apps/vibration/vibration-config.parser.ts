/**
 * The vibration app's configuration (README "Attaching a PLC"): assets (pumps), each read from one PLC over Modbus
 * TCP, with waveform channels and/or characteristic values, its machine data, and the analysis and event rules.
 * Pure: every problem names its path.
 */
import { ConfigChecker, join } from '../config.checker.js';
import type { ParsedConfig } from '../data-app.contract.js';
import { registersPer, type WordOrder } from './modbus/register.codec.js';
import { ISO_10816_3, type Foundation, type MachineGroup } from './severity.analytics.js';
import { usableBand, type BearingGeometry } from './vibration.analytics.js';

/** Modbus limits (Modbus Application Protocol V1.1b3, 6.3/6.4): at most 125 registers a read. */
export const MAX_REGISTERS = 125;

export type Table = 'input' | 'holding';

export interface PlcConfig {
  host: string;
  port: number;
  unitId: number;
  timeoutMs: number;
  /** How often a reader asks for new data when it has caught up. */
  pollMs: number;
}

interface WaveformCommon {
  table: Table;
  encoding: 'int16' | 'float32';
  wordOrder: WordOrder;
  /** Physical value (m/s²) of one count (int16), or the quantisation step the store keeps float32 samples at. */
  scale: number;
  sampleRateHz: number;
}

/** Self-describing blocks `[seq_hi, seq_lo, (t_ms_hi, t_ms_lo), samples...]`, each read in one request (preferred). */
export interface BlockLayout extends WaveformCommon {
  layout: 'blocks';
  address: number;
  blocks: number;
  samplesPerBlock: number;
  timestamp: boolean;
}

/** A uint32 sample counter and a ring buffer the PLC writes in a 1 ms task. */
export interface RingLayout extends WaveformCommon {
  layout: 'ring';
  counterAddress: number;
  address: number;
  size: number;
  /** Samples behind the counter not read (the slot being written). */
  margin: number;
}

export interface ChannelConfig {
  id: string;
  waveform: BlockLayout | RingLayout;
}

export interface CharacteristicValue {
  name: string;
  address: number;
  encoding: 'int16' | 'uint16' | 'float32';
  wordOrder: WordOrder;
  scale: number;
  unit: string;
}

/** Values a vibration module computes itself, polled at 1 to 10 Hz; a `v_rms` in mm/s is judged by ISO zone. */
export interface CharacteristicsConfig {
  table: Table;
  pollMs: number;
  values: CharacteristicValue[];
}

export interface MachineConfig {
  group: MachineGroup;
  foundation: Foundation;
  rpm: number;
  pistons: number;
  bearing: BearingGeometry;
}

export interface AssetConfig {
  id: string;
  title: string;
  plc: PlcConfig;
  channels: ChannelConfig[];
  characteristics: CharacteristicsConfig | null;
  machine: MachineConfig;
}

export interface VibrationConfig {
  assets: AssetConfig[];
  analysis: {
    windowSamples: number;
    /** The band the resonance (bearing impacts) is demodulated in. */
    resonanceBand: { lowHz: number; highHz: number };
  };
  events: {
    debounce: { k: number; n: number };
    hysteresis: number;
    envelopeSnr: number;
    baselineWindows: number;
    baselineSigma: number;
    horizonHours: number;
    trendHours: number;
    trendBucketSeconds: number;
    minConfidence: number;
    /** Trend buckets needed before a prediction is made. */
    minTrendPoints: number;
    healthAlarm: number;
  };
  health: { model: string | null };
  /** How often each asset's condition output is published (events go out at once). */
  conditionEverySeconds: number;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HOST = /^[A-Za-z0-9.:[\]-]{1,253}$/;

function plc(c: ConfigChecker, f: string, raw: unknown): PlcConfig {
  const o = c.object(f, raw, ['host', 'port', 'unitId', 'timeoutMs', 'pollMs']) ?? {};
  return {
    host: c.string(join(f, 'host'), o.host, HOST),
    port: c.int(join(f, 'port'), o.port, 1, 65_535, 502),
    unitId: c.int(join(f, 'unitId'), o.unitId, 0, 255, 1),
    timeoutMs: c.int(join(f, 'timeoutMs'), o.timeoutMs, 50, 60_000, 1000),
    pollMs: c.int(join(f, 'pollMs'), o.pollMs, 5, 10_000, 50),
  };
}

function waveform(c: ConfigChecker, f: string, raw: unknown): BlockLayout | RingLayout {
  const o = c.object(f, raw, ['layout', 'table', 'encoding', 'wordOrder', 'scale', 'sampleRateHz', 'address', 'blocks', 'samplesPerBlock', 'timestamp', 'counterAddress', 'size', 'margin']) ?? {};
  const common: WaveformCommon = {
    table: c.oneOf(join(f, 'table'), o.table, ['input', 'holding'] as const, 'input'),
    encoding: c.oneOf(join(f, 'encoding'), o.encoding, ['int16', 'float32'] as const, 'int16'),
    wordOrder: c.oneOf(join(f, 'wordOrder'), o.wordOrder, ['ABCD', 'CDAB'] as const, 'ABCD'),
    scale: c.number(join(f, 'scale'), o.scale, 1e-9, 1e6, 0.001),
    sampleRateHz: c.number(join(f, 'sampleRateHz'), o.sampleRateHz, 10, 100_000, 1000),
  };
  const layout = c.oneOf(join(f, 'layout'), o.layout, ['blocks', 'ring'] as const, 'blocks');
  const width = registersPer(common.encoding);
  if (layout === 'blocks') {
    const timestamp = c.boolean(join(f, 'timestamp'), o.timestamp, false);
    const header = timestamp ? 4 : 2;
    const samplesPerBlock = c.int(join(f, 'samplesPerBlock'), o.samplesPerBlock, 1, MAX_REGISTERS, Math.floor((MAX_REGISTERS - 5) / width));
    // A block is read atomically, in one request: it must fit in 125 registers.
    if (header + samplesPerBlock * width > MAX_REGISTERS) {
      c.problem(join(f, 'samplesPerBlock'), `a block of ${header} header + ${samplesPerBlock} x ${width} registers exceeds the ${MAX_REGISTERS} a Modbus read may return`);
    }
    return {
      ...common,
      layout,
      timestamp,
      samplesPerBlock,
      address: c.int(join(f, 'address'), o.address, 0, 65_535, 0),
      blocks: c.int(join(f, 'blocks'), o.blocks, 2, 4096, 16),
    };
  }
  const size = c.int(join(f, 'size'), o.size, 16, 65_535, 2000);
  return {
    ...common,
    layout,
    size,
    counterAddress: c.int(join(f, 'counterAddress'), o.counterAddress, 0, 65_534, 2000),
    address: c.int(join(f, 'address'), o.address, 0, 65_535, 3000),
    margin: c.int(join(f, 'margin'), o.margin, 0, Math.max(0, size - 1), Math.min(100, Math.floor(size / 10))),
  };
}

function characteristics(c: ConfigChecker, f: string, raw: unknown): CharacteristicsConfig | null {
  const o = c.object(f, raw, ['table', 'pollMs', 'values'], true);
  if (o === undefined) return null;
  return {
    table: c.oneOf(join(f, 'table'), o.table, ['input', 'holding'] as const, 'input'),
    pollMs: c.int(join(f, 'pollMs'), o.pollMs, 100, 60_000, 1000),
    values: c.array(join(f, 'values'), o.values, 1, 32).map((v, i) => {
      const g = join(join(f, 'values'), i);
      const e = c.object(g, v, ['name', 'address', 'encoding', 'wordOrder', 'scale', 'unit']) ?? {};
      return {
        name: c.string(join(g, 'name'), e.name, /^[a-z][a-z0-9_]{0,31}$/),
        address: c.int(join(g, 'address'), e.address, 0, 65_535),
        encoding: c.oneOf(join(g, 'encoding'), e.encoding, ['int16', 'uint16', 'float32'] as const, 'float32'),
        wordOrder: c.oneOf(join(g, 'wordOrder'), e.wordOrder, ['ABCD', 'CDAB'] as const, 'ABCD'),
        scale: c.number(join(g, 'scale'), e.scale, -1e9, 1e9, 1),
        unit: c.string(join(g, 'unit'), e.unit, /^.{1,16}$/, ''),
      };
    }),
  };
}

function machine(c: ConfigChecker, f: string, raw: unknown): MachineConfig {
  const o = c.object(f, raw, ['group', 'foundation', 'rpm', 'pistons', 'bearing'], true) ?? {};
  const b = c.object(join(f, 'bearing'), o.bearing, ['balls', 'ballDiameterMm', 'pitchDiameterMm', 'contactAngleDeg'], true) ?? {};
  const bf = join(f, 'bearing');
  const bearing = {
    balls: c.int(join(bf, 'balls'), b.balls, 3, 100, 9),
    ballDiameterMm: c.number(join(bf, 'ballDiameterMm'), b.ballDiameterMm, 0.1, 1000, 7.94),
    pitchDiameterMm: c.number(join(bf, 'pitchDiameterMm'), b.pitchDiameterMm, 0.2, 5000, 39.04),
    contactAngleDeg: c.number(join(bf, 'contactAngleDeg'), b.contactAngleDeg, 0, 60, 0),
  };
  if (bearing.ballDiameterMm >= bearing.pitchDiameterMm) c.problem(join(bf, 'ballDiameterMm'), 'must be smaller than pitchDiameterMm');
  return {
    group: c.oneOf(join(f, 'group'), o.group, [1, 2] as const, 2),
    foundation: c.oneOf(join(f, 'foundation'), o.foundation, ['rigid', 'flexible'] as const, 'rigid'),
    rpm: c.number(join(f, 'rpm'), o.rpm, 60, 60_000, 1480),
    pistons: c.int(join(f, 'pistons'), o.pistons, 1, 64, 9),
    bearing,
  };
}

function asset(c: ConfigChecker, f: string, raw: unknown): AssetConfig {
  const o = c.object(f, raw, ['id', 'title', 'plc', 'channels', 'characteristics', 'machine']) ?? {};
  const id = c.string(join(f, 'id'), o.id, ID);
  const channels = (o.channels === undefined ? [] : c.array(join(f, 'channels'), o.channels, 0, 16)).map((ch, i) => {
    const g = join(join(f, 'channels'), i);
    const e = c.object(g, ch, ['id', 'waveform']) ?? {};
    return { id: c.string(join(g, 'id'), e.id, ID), waveform: waveform(c, join(g, 'waveform'), e.waveform) };
  });
  const chars = characteristics(c, join(f, 'characteristics'), o.characteristics);
  if (channels.length === 0 && chars === null) c.problem(f, 'needs waveform channels or characteristic values (or both)');
  const ids = channels.map((ch) => ch.id);
  ids.forEach((x, i) => ids.indexOf(x) !== i && c.problem(join(join(f, 'channels'), i), `channel id ${x} is used twice`));
  return {
    id,
    title: c.string(join(f, 'title'), o.title, /^.{1,200}$/, id),
    plc: plc(c, join(f, 'plc'), o.plc),
    channels,
    characteristics: chars,
    machine: machine(c, join(f, 'machine'), o.machine),
  };
}

export function parseVibrationConfig(raw: unknown): ParsedConfig<VibrationConfig> {
  const c = new ConfigChecker();
  const o = c.object('', raw, ['assets', 'analysis', 'events', 'health', 'conditionEverySeconds']) ?? {};
  const assets = c.array('assets', o.assets, 0, 64).map((a, i) => asset(c, join('assets', i), a));
  assets.forEach((a, i) => assets.findIndex((b) => b.id === a.id) !== i && c.problem(join('assets', i), `asset id ${a.id} is used twice`));
  const an = c.object('analysis', o.analysis, ['windowSamples', 'resonanceBand'], true) ?? {};
  const windowSamples = c.int('analysis.windowSamples', an.windowSamples, 256, 65_536, 4096);
  // The FFT (fft.js, radix-4) takes powers of two.
  if ((windowSamples & (windowSamples - 1)) !== 0) c.problem('analysis.windowSamples', `must be a power of two, is ${windowSamples}`);
  const rb = c.object('analysis.resonanceBand', an.resonanceBand, ['lowHz', 'highHz'], true) ?? {};
  const resonanceBand = {
    lowHz: c.number('analysis.resonanceBand.lowHz', rb.lowHz, 1, 50_000, 250),
    highHz: c.number('analysis.resonanceBand.highHz', rb.highHz, 2, 50_000, 480),
  };
  if (resonanceBand.highHz <= resonanceBand.lowHz) c.problem('analysis.resonanceBand.highHz', 'must be above lowHz');
  for (const [i, a] of assets.entries()) {
    for (const [j, ch] of a.channels.entries()) {
      if (resonanceBand.highHz >= ch.waveform.sampleRateHz / 2) {
        c.problem(`assets[${i}].channels[${j}].waveform.sampleRateHz`, `must be above twice analysis.resonanceBand.highHz (${resonanceBand.highHz} Hz)`);
      }
    }
  }
  const ev = c.object('events', o.events, ['debounce', 'hysteresis', 'envelopeSnr', 'baselineWindows', 'baselineSigma', 'horizonHours', 'trendHours', 'trendBucketSeconds', 'minConfidence', 'minTrendPoints', 'healthAlarm'], true) ?? {};
  const db = c.object('events.debounce', ev.debounce, ['k', 'n'], true) ?? {};
  const debounce = { k: c.int('events.debounce.k', db.k, 1, 100, 3), n: c.int('events.debounce.n', db.n, 1, 100, 5) };
  if (debounce.k > debounce.n) c.problem('events.debounce.k', 'must not exceed n');
  const events = {
    debounce,
    hysteresis: c.number('events.hysteresis', ev.hysteresis, 0, 0.9, 0.1),
    envelopeSnr: c.number('events.envelopeSnr', ev.envelopeSnr, 1, 1000, 6),
    baselineWindows: c.int('events.baselineWindows', ev.baselineWindows, 3, 100_000, 30),
    baselineSigma: c.number('events.baselineSigma', ev.baselineSigma, 1, 100, 4),
    horizonHours: c.number('events.horizonHours', ev.horizonHours, 0.001, 100_000, 168),
    trendHours: c.number('events.trendHours', ev.trendHours, 0.001, 100_000, 24),
    trendBucketSeconds: c.number('events.trendBucketSeconds', ev.trendBucketSeconds, 0.1, 86_400, 60),
    minConfidence: c.number('events.minConfidence', ev.minConfidence, 0, 1, 0.6),
    minTrendPoints: c.int('events.minTrendPoints', ev.minTrendPoints, 3, 100_000, 10),
    healthAlarm: c.number('events.healthAlarm', ev.healthAlarm, 0, 1, 0.3),
  };
  const conditionEverySeconds = c.number('conditionEverySeconds', o.conditionEverySeconds, 0, 86_400, 10);
  const health = c.object('health', o.health, ['model'], true) ?? {};
  const model = health.model === undefined || health.model === null ? null : c.string('health.model', health.model, /^.{1,4096}$/);
  return c.problems.length > 0
    ? { ok: false, problems: c.problems }
    : {
        ok: true,
        config: {
          assets,
          analysis: { windowSamples, resonanceBand },
          events,
          health: { model },
          conditionEverySeconds,
        },
      };
}

/** Zone limits of an asset (ISO 10816-3, its machine group and foundation). */
export function limitsOf(machine: MachineConfig): (typeof ISO_10816_3)[keyof typeof ISO_10816_3] {
  return ISO_10816_3[`${machine.group}-${machine.foundation}`];
}

/** The velocity band a channel's sampling rate allows. */
export function velocityBandOf(sampleRateHz: number): { lowHz: number; highHz: number } {
  return usableBand(sampleRateHz);
}
