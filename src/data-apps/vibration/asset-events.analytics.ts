/**
 * One maintenance event per asset and kind (pure). A pump is judged on each of its channels (the drive-end
 * accelerometer, the vibration module's register): each channel raises its own drafts, but a plant acts on the
 * pump, and the same fact told twice, seconds apart with the same text, reads as two faults. The asset's state of
 * each fact is the worst of its channels' (a zone) or whether any channel holds it (a fault, a deviation, a low health
 * index); an event goes out when that state changes, naming the channels that support it. A prediction is told once
 * per boundary while it stands (again only after `repeatMs`).
 */
import type { JsonValue } from '../../common/json.js';
import { zoneSeverity, type EventDraft } from './condition.analytics.js';
import { ZONES, type Zone } from './severity.analytics.js';

export interface AssetEvent {
  draft: EventDraft;
  /** The channels whose state is the asset's (for a zone: those in it; for a flag: those holding it). */
  channels: string[];
}

/** A JSON value as text for a key (evidence members are strings here; anything else keys as its JSON). */
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

/** The fact an event is about, and its value on the channel that raised it. */
function factOf(draft: EventDraft): { key: string; value: string } | undefined {
  const e = draft.evidence;
  switch (draft.kind) {
    case 'zone-change':
      return typeof e['to'] === 'string' ? { key: 'zone', value: e['to'] } : undefined;
    case 'bearing-fault':
      return { key: `fault:${text(e['fault'])}`, value: text(e['state']) };
    case 'baseline-deviation':
      return { key: `deviation:${text(e['indicator'])}`, value: text(e['state']) };
    case 'health-degraded':
      return { key: 'health', value: text(e['state']) };
    case 'predicted-threshold':
    case 'baseline-reset':
      return undefined;
  }
}

export class AssetEvents {
  /** fact -> channel -> value. */
  private readonly facts = new Map<string, Map<string, string>>();
  /** fact -> the asset's value last told. */
  private readonly told = new Map<string, string>();
  /** boundary -> when its prediction was last told. */
  private readonly predicted = new Map<string, number>();

  constructor(private readonly repeatMs: number) {}

  /** A channel's zone as it stood before a restart: the asset's state starts from it, and nothing is told. */
  seedZone(channel: string, zone: Zone): void {
    this.channelsOf('zone').set(channel, zone);
    this.told.set('zone', this.assetValue('zone')!);
  }

  /**
   * A channel's baseline was forgotten (a re-baseline): its baseline-relative flags are gone with it, silently (the
   * baseline-reset event says so), and a flag raised again later is told again.
   */
  forgetBaseline(channel: string): void {
    for (const [key, channels] of this.facts) {
      if (!key.startsWith('deviation:') && key !== 'health') continue;
      channels.delete(channel);
      const asset = this.assetValue(key);
      if (asset === undefined) this.told.delete(key);
      else this.told.set(key, asset);
    }
  }

  /** A channel's draft: the asset's event when the asset's state changed with it, else undefined. */
  offer(channel: string, draft: EventDraft, now: number): AssetEvent | undefined {
    if (draft.kind === 'predicted-threshold') {
      const boundary = text(draft.evidence['boundary']);
      const last = this.predicted.get(boundary);
      if (last !== undefined && now - last < this.repeatMs) return undefined;
      this.predicted.set(boundary, now);
      return { draft, channels: [channel] };
    }
    const fact = factOf(draft);
    if (fact === undefined) return { draft, channels: [channel] };
    const channels = this.channelsOf(fact.key);
    channels.set(channel, fact.value);
    const asset = this.assetValue(fact.key)!;
    const before = this.told.get(fact.key);
    if (asset === before) return undefined;
    this.told.set(fact.key, asset);
    const supporting = [...channels].filter(([, v]) => v === asset).map(([c]) => c);
    if (fact.key !== 'zone') return { draft, channels: supporting };
    // The asset's zone changed: from the zone it was told in, to the worst of its channels'.
    const evidence = { ...draft.evidence, from: before ?? null, to: asset, channels: supporting };
    const message = draft.message.replace(/zone \S+ -> \S+:/, `zone ${before ?? '(none)'} -> ${asset}:`);
    return { draft: { ...draft, severity: zoneSeverity(asset as Zone), message, evidence }, channels: supporting };
  }

  private channelsOf(key: string): Map<string, string> {
    let channels = this.facts.get(key);
    if (channels === undefined) {
      channels = new Map();
      this.facts.set(key, channels);
    }
    return channels;
  }

  /** The asset's value of a fact: the worst zone, or `raised` while any channel holds a flag. */
  private assetValue(key: string): string | undefined {
    const values = [...(this.facts.get(key)?.values() ?? [])];
    if (values.length === 0) return undefined;
    if (key === 'zone') return values.reduce((a, b) => (ZONES.indexOf(b as Zone) > ZONES.indexOf(a as Zone) ? b : a));
    return values.includes('raised') ? 'raised' : 'cleared';
  }
}
