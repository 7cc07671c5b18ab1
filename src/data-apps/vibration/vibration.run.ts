import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../../common/json.js';
import type { ActionResult, DataAppContext, DataAppHealth, DataAppRun } from '../data-app.contract.js';
import type { AnalysisResult, AnalysisTask, ModelRef } from './analysis.worker.js';
import { ConfigChecker } from '../config.checker.js';
import { ChannelPipeline } from './channel.pipeline.js';
import { AssetEvents } from './asset-events.analytics.js';
import { ChannelCondition, type EventDraft } from './condition.analytics.js';
import { ModbusLink, ModbusReadError } from './modbus/modbus.link.js';
import { decodeValue, registersPer } from './modbus/register.codec.js';
import { BlockReader, RingReader } from './modbus/waveform.reader.js';
import { ZONES, type Zone } from './severity.analytics.js';
import { limitsOf, type AssetConfig, type VibrationConfig } from './vibration-config.parser.js';
import { bearingFrequencies } from './vibration.analytics.js';

interface AssetRun {
  config: AssetConfig;
  link: ModbusLink;
  channels: ChannelPipeline[];
  /** Judges the vibration module's own v_rms register, when there is one. */
  module: ChannelCondition | undefined;
  /** The module's zone last remembered. */
  moduleZone?: Zone;
  /** One event per asset and kind, whichever channels raise it. */
  events: AssetEvents;
  characteristics: Record<string, number>;
  characteristicsAt: string | null;
}

/** Reported as stale when connected but nothing new came for this long. */
const STALE_MS = 5000;

/** One run of the vibration app: per asset a Modbus link, its waveform channels and its characteristic values. */
export class VibrationRun implements DataAppRun {
  private readonly assets: AssetRun[];
  private rate = { at: 0, samples: 0, perSecond: 0 };

  constructor(
    private readonly config: VibrationConfig,
    private readonly context: DataAppContext,
  ) {
    const pool = context.pool<AnalysisTask, AnalysisResult>('analysis', new URL('./analysis.worker.js', import.meta.url), { maxQueue: 256 });
    const userModel: ModelRef | undefined = config.health.model === null ? undefined : { kind: 'file', path: config.health.model };
    const now = (): number => context.clock.now().getTime();
    this.assets = config.assets.map((asset) => {
      const link = new ModbusLink(asset.plc, now);
      const channels = asset.channels.map((channel) => {
        const reader = channel.waveform.layout === 'blocks' ? new BlockReader(link, channel.waveform, now) : new RingReader(link, channel.waveform, now);
        return new ChannelPipeline(asset, channel, config, reader, pool, context, (draft, ch) => this.publish(asset, ch, draft), userModel);
      });
      const module =
        asset.characteristics?.values.some((v) => v.name === 'v_rms') === true
          ? new ChannelCondition(limitsOf(asset.machine), bearingFrequencies(asset.machine.bearing, asset.machine.rpm / 60), config.events, undefined)
          : undefined;
      const events = new AssetEvents(config.events.horizonHours * 3_600_000);
      return { config: asset, link, channels, module, events, characteristics: {}, characteristicsAt: null };
    });
  }

  async start(): Promise<this> {
    for (const asset of this.assets) {
      // The vibration module's own velocity register is judged too: its last zone survives restarts like a channel's.
      const moduleZone = asset.module === undefined ? undefined : await this.context.recall(`zone:${asset.config.id}/module`);
      if (asset.module !== undefined && typeof moduleZone === 'string' && ZONES.includes(moduleZone as Zone)) {
        asset.module.restoreZone(moduleZone as Zone);
        asset.moduleZone = moduleZone as Zone;
      }
      for (const channel of asset.channels) {
        await channel.restore();
        const zone = channel.condition.state().zone;
        if (zone !== null) asset.events.seedZone(channel.channel.id, zone);
        this.context.every(asset.config.plc.pollMs, () => channel.pass());
      }
      if (asset.moduleZone !== undefined) asset.events.seedZone('module', asset.moduleZone);
      if (asset.config.characteristics !== null) this.context.every(asset.config.characteristics.pollMs, () => this.poll(asset));
    }
    if (this.config.conditionEverySeconds > 0) this.context.every(this.config.conditionEverySeconds * 1000, () => this.publishConditions());
    this.context.every(1000, () => this.measureRate());
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all(this.assets.map((a) => a.link.close()));
  }

  health(): DataAppHealth {
    const sum = (pick: (c: ChannelPipeline) => number): number => this.assets.reduce((n, a) => n + a.channels.reduce((m, c) => m + pick(c), 0), 0);
    const links = (pick: (l: ModbusLink) => number): number => this.assets.reduce((n, a) => n + pick(a.link), 0);
    const analysed = sum((c) => c.counters.analysed);
    return {
      counters: {
        samplesPerSecond: Math.round(this.rate.perSecond),
        samples: sum((c) => c.reader.stats.samples),
        windows: sum((c) => c.counters.windows),
        windowsAnalysed: analysed,
        windowsPartial: sum((c) => c.counters.partial),
        windowsDropped: sum((c) => c.counters.dropped),
        gaps: sum((c) => c.reader.stats.gaps),
        lostSamples: sum((c) => c.reader.stats.lostSamples),
        plcRestarts: sum((c) => c.reader.stats.restarts),
        events: sum((c) => c.counters.events),
        modbusRequests: links((l) => l.counters.requests),
        modbusTimeouts: links((l) => l.counters.timeouts),
        modbusExceptions: links((l) => l.counters.exceptions),
        reconnects: links((l) => l.counters.reconnects),
        analysisMicrosPerWindow: analysed === 0 ? 0 : Math.round(sum((c) => c.counters.analysisMicros) / analysed),
      },
      sources: Object.fromEntries(this.assets.map((a) => [a.config.id, this.source(a)])),
    };
  }

  private source(asset: AssetRun): DataAppHealth['sources'][string] {
    const { link } = asset;
    const newest = Math.max(0, ...asset.channels.map((c) => c.reader.stats.lastNewAt));
    const now = this.context.clock.now().getTime();
    const stale = link.state === 'connected' && asset.channels.length > 0 && now - Math.max(newest, link.since.getTime()) > STALE_MS;
    return {
      state: stale ? 'connected, no new samples' : link.state,
      since: (stale ? new Date(Math.max(newest, link.since.getTime())) : link.since).toISOString(),
      lastError: link.lastError,
      up: link.state === 'connected' && !stale,
    };
  }

  /**
   * `rebaseline` { asset, channel?, reason? }: forgets the asset's (or the channel's) healthy baseline and learns it
   * again; a baseline-reset event tells consumers and the history who asked and why.
   */
  async act(action: string, args: unknown, by: string): Promise<ActionResult> {
    if (action !== 'rebaseline') return { ok: false, problems: [{ field: '', reason: `unknown action ${action}` }] };
    const c = new ConfigChecker();
    const o = c.object('', args, ['asset', 'channel', 'reason']);
    if (o === undefined) return { ok: false, problems: c.problems };
    const asset = this.assets.find((a) => a.config.id === o.asset);
    if (asset === undefined) c.problem('asset', `must be one of the configured assets: ${this.assets.map((a) => a.config.id).join(', ')}`);
    const all = asset?.channels ?? [];
    const channels = o.channel === undefined ? all : all.filter((ch) => ch.channel.id === o.channel);
    if (asset !== undefined && channels.length === 0) c.problem('channel', `must be a waveform channel of ${asset.config.id}: ${all.map((ch) => ch.channel.id).join(', ')}`);
    if (o.reason !== undefined && (typeof o.reason !== 'string' || o.reason.length > 500)) c.problem('reason', 'must be a text of at most 500 characters');
    if (c.problems.length > 0 || asset === undefined) return { ok: false, problems: c.problems };
    const reason = typeof o.reason === 'string' && o.reason.trim() !== '' ? o.reason.trim() : null;
    for (const channel of channels) {
      await channel.rebaseline();
      asset.events.forgetBaseline(channel.channel.id);
    }
    const ids = channels.map((c) => c.channel.id);
    const windows = this.config.events.baselineWindows;
    await this.emitEvent(asset.config, ids, {
      kind: 'baseline-reset',
      severity: 'info',
      message: `healthy baseline of ${ids.join(', ')} forgotten at the request of ${by}${reason === null ? '' : ` (${reason})`}: learning again from the next ${windows} windows in zones A and B`,
      evidence: { by, reason, channels: ids, windows },
    });
    return { ok: true, result: { asset: asset.config.id, channels: ids, learning: `from the next ${windows} windows in zones A and B`, by, reason } };
  }

  private async poll(asset: AssetRun): Promise<void> {
    const spec = asset.config.characteristics!;
    const from = Math.min(...spec.values.map((v) => v.address));
    const to = Math.max(...spec.values.map((v) => v.address + registersPer(v.encoding)));
    let values: Record<string, number>;
    try {
      const read = async (address: number, length: number): Promise<number[]> => asset.link.read(spec.table, address, length);
      // One request when the values lie within 125 registers of each other, else one each.
      const span = to - from <= 125 ? await read(from, to - from) : undefined;
      values = {};
      for (const v of spec.values) {
        const registers = span ?? (await read(v.address, registersPer(v.encoding)));
        values[v.name] = decodeValue(registers, span === undefined ? 0 : v.address - from, v.encoding, v.wordOrder) * v.scale;
      }
    } catch (error) {
      if (error instanceof ModbusReadError) return;
      throw error;
    }
    asset.characteristics = values;
    asset.characteristicsAt = this.context.clock.now().toISOString();
    const vRms = values.v_rms;
    if (asset.module !== undefined && vRms !== undefined) {
      const drafts = asset.module.observeVelocity(this.context.clock.now().getTime(), vRms, { source: 'vibration module register v_rms' });
      const zone = asset.module.state().zone;
      if (zone !== null && zone !== asset.moduleZone) {
        asset.moduleZone = zone;
        await this.context.remember(`zone:${asset.config.id}/module`, zone);
      }
      for (const draft of drafts) await this.publish(asset.config, 'module', draft);
    }
  }

  private async publish(asset: AssetConfig, channel: string, raised: EventDraft): Promise<void> {
    const run = this.assets.find((a) => a.config === asset);
    const told = run === undefined ? { draft: raised, channels: [channel] } : run.events.offer(channel, raised, this.context.clock.now().getTime());
    if (told === undefined) return; // the asset's state did not change: another channel told it already
    await this.emitEvent(asset, told.channels.length > 0 ? told.channels : [channel], told.draft);
  }

  private async emitEvent(asset: AssetConfig, channels: string[], draft: EventDraft): Promise<void> {
    const event: Record<string, JsonValue> = {
      id: `urn:uuid:${randomUUID()}`,
      asset: asset.id,
      assetTitle: asset.title,
      channel: channels[0],
      channels,
      kind: draft.kind,
      severity: draft.severity,
      at: this.context.clock.now().toISOString(),
      message: draft.message,
      evidence: draft.evidence,
    };
    await this.context.emit('events', event, asset.id);
  }

  private async publishConditions(): Promise<void> {
    for (const asset of this.assets) {
      const channels = Object.fromEntries(
        asset.channels.map((c) => [
          c.channel.id,
          {
            ...c.condition.state(),
            band: c.lastAnalysis === undefined ? null : c.lastAnalysis.band,
            indicators:
              c.lastAnalysis === undefined
                ? null
                : { aRms: c.lastAnalysis.aRms, peak: c.lastAnalysis.peak, crest: c.lastAnalysis.crest, kurtosis: c.lastAnalysis.kurtosis, skewness: c.lastAnalysis.skewness, envelope: c.lastAnalysis.envelope },
          },
        ]),
      );
      const zones = [...asset.channels.map((c) => c.condition.state().zone), asset.module?.state().zone ?? null].filter((z): z is Zone => z !== null);
      const worst = zones.length === 0 ? null : zones.reduce((a, b) => (ZONES.indexOf(b) > ZONES.indexOf(a) ? b : a));
      const value: Record<string, JsonValue> = {
        asset: asset.config.id,
        title: asset.config.title,
        at: this.context.clock.now().toISOString(),
        zone: worst,
        link: this.source(asset).state,
        channels: channels,
        module: asset.module === undefined ? null : ({ ...asset.module.state(), values: asset.characteristics, at: asset.characteristicsAt }),
      };
      await this.context.emit('condition', value, asset.config.id);
    }
  }

  private measureRate(): void {
    const now = this.context.clock.now().getTime();
    const samples = this.assets.reduce((n, a) => n + a.channels.reduce((m, c) => m + c.reader.stats.samples, 0), 0);
    if (this.rate.at > 0 && now > this.rate.at) this.rate.perSecond = ((samples - this.rate.samples) * 1000) / (now - this.rate.at);
    this.rate = { ...this.rate, at: now, samples };
  }
}
