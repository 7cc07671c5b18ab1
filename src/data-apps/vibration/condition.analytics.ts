/**
 * A channel's condition, window by window, and the maintenance events it raises (pure):
 * - ISO 10816-3 zone of the band-limited velocity RMS, debounced k of n with hysteresis (a first judgement of A is
 *   no event; anything else is);
 * - bearing-fault signatures: envelope peak-to-floor at BPFO, BPFI, BSF or FTF above the configured ratio in k of n
 *   windows (Randall & Antoni 2011, section 4: envelope analysis);
 * - baseline-relative alarms on the indicators ISO does not bound (a_rms, peak, crest, kurtosis, resonance-band
 *   share): above mean + sigma x std of the asset's own healthy baseline, and at least 1.5 x its mean, k of n;
 * - prediction: the trend of v_rms since its last level shift (trend.analytics.ts: a floor plus an exponential); the
 *   predicted time to the zone C and D limits, and an event when it falls under the configured horizon with enough
 *   points, confidence (R²), a growth rate 3 standard errors above zero and a rise of 10 % over the segment;
 * - the health index of the model, when one runs: an event when it stays under the alarm level.
 */
import type { JsonValue } from '../../common/json.js';
import { DebouncedFlag, upperLimit, zoneOf, ZONES as ZONE_ORDER, ZoneTracker, type Zone, type ZoneLimits } from './severity.analytics.js';
import { fitTrend, predictCrossing, TrendHorizon, type Prediction } from './trend.analytics.js';
import type { VibrationConfig } from './vibration-config.parser.js';
import type { BearingFrequencies, WindowAnalysis } from './vibration.analytics.js';

export type EventKind = 'zone-change' | 'bearing-fault' | 'baseline-deviation' | 'predicted-threshold' | 'health-degraded' | 'baseline-reset';
export type Severity = 'info' | 'warning' | 'alarm' | 'critical';

export interface EventDraft {
  kind: EventKind;
  severity: Severity;
  message: string;
  evidence: Record<string, JsonValue>;
}

/** Mean and deviation of each baseline-relative indicator over the healthy baseline. */
export type Baseline = Record<BaselineIndicator, { mean: number; std: number }>;

const BASELINE_INDICATORS = ['aRms', 'peak', 'crest', 'kurtosis', 'resonanceBandRatio'] as const;
export type BaselineIndicator = (typeof BASELINE_INDICATORS)[number];
const FAULTS = ['bpfo', 'bpfi', 'bsf', 'ftf'] as const;
const FAULT_NAMES = { bpfo: 'outer race (BPFO)', bpfi: 'inner race (BPFI)', bsf: 'rolling element (BSF)', ftf: 'cage (FTF)' };
const ZONE_SEVERITY: Record<Zone, Severity> = { A: 'info', B: 'info', C: 'alarm', D: 'critical' };

/** The severity of an event that puts a machine in `zone`. */
export function zoneSeverity(zone: Zone): Severity {
  return ZONE_SEVERITY[zone];
}

export interface ConditionState {
  zone: Zone | null;
  /**
   * Velocity RMS and health index of one window, the newest whose own zone is the reported zone, and its time: what is
   * published with the zone comes from the same window (a Pump once showed zone B beside 7.03 mm/s, a zone D value
   * the debounce had not judged yet). Null until a zone is judged.
   */
  vRms: number | null;
  health: number | null;
  /** When the window of `vRms` and `health` began. */
  judgedAt: string | null;
  /** The newest window, judged or not (the live page plots it). */
  latest: { vRms: number; health: number | null; at: string } | null;
  prediction: { boundary: 'C' | 'D'; limitMmS: number; at: string; inHours: number; confidence: number; earliest: string; latest: string | null } | null;
  faults: string[];
  deviations: string[];
  /** learning: collecting healthy windows; waiting: not learning from these windows (baselineNote says why). */
  baseline: 'learning' | 'waiting' | 'ready';
  baselineNote: string | null;
  /** The ISO 10816-3 zone boundaries (mm/s) this channel is judged by: the live page draws them as bands. */
  limitsMmS: { ab: number; bc: number; cd: number };
}

export function baselineOf(windows: readonly WindowAnalysis[]): Baseline {
  const stats = (values: number[]): { mean: number; std: number } => {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
    return { mean, std };
  };
  return Object.fromEntries(BASELINE_INDICATORS.map((k) => [k, stats(windows.map((w) => w[k]))])) as Baseline;
}

export class ChannelCondition {
  private readonly zone: ZoneTracker;
  private readonly faults: Record<(typeof FAULTS)[number], DebouncedFlag>;
  private readonly deviations: Record<BaselineIndicator, DebouncedFlag>;
  private healthFlag: DebouncedFlag;
  private learning: { state: 'learning' | 'waiting'; note: string | null } = { state: 'learning', note: null };
  private readonly trend: TrendHorizon;
  private readonly predicted = new Set<'C' | 'D'>();
  private prediction: ConditionState['prediction'] = null;
  /** The last windows (as many as the debounce looks at), newest last. */
  private readonly windows: { at: number; vRms: number; health: number | null }[] = [];

  constructor(
    private readonly limits: ZoneLimits,
    private readonly frequencies: BearingFrequencies,
    private readonly rules: VibrationConfig['events'],
    private baseline: Baseline | undefined,
  ) {
    this.zone = new ZoneTracker(limits, rules.debounce, rules.hysteresis);
    this.faults = Object.fromEntries(FAULTS.map((f) => [f, new DebouncedFlag(rules.debounce)])) as ChannelCondition['faults'];
    this.deviations = Object.fromEntries(BASELINE_INDICATORS.map((k) => [k, new DebouncedFlag(rules.debounce)])) as ChannelCondition['deviations'];
    this.healthFlag = new DebouncedFlag(rules.debounce);
    this.trend = new TrendHorizon(rules.trendHours * 3_600_000, rules.trendBucketSeconds * 1000);
  }

  setBaseline(baseline: Baseline): void {
    this.baseline = baseline;
    this.learning = { state: 'learning', note: null };
  }

  /** Forgets the baseline (an operator's re-baseline): the baseline-relative alarms wait for a new one. */
  clearBaseline(): void {
    this.baseline = undefined;
    for (const k of BASELINE_INDICATORS) this.deviations[k] = new DebouncedFlag(this.rules.debounce);
    this.healthFlag = new DebouncedFlag(this.rules.debounce);
  }

  /** Why the channel is not learning from its current windows, or null. */
  get learningNote(): string | null {
    return this.learning.note;
  }

  /** What the channel's learning is doing while there is no baseline (see ChannelPipeline.learn). */
  setLearning(state: 'learning' | 'waiting', note: string | null): void {
    this.learning = { state, note };
  }

  /** The zone last judged before a restart (the app remembers it). */
  restoreZone(zone: Zone): void {
    this.zone.restore(zone);
  }

  /** One analysed window at `at` (ms since the epoch): the events it raises. */
  observe(at: number, a: WindowAnalysis, health?: number): EventDraft[] {
    const events = [...this.observeVelocity(at, a.vRms, { band: a.band }, health)];
    for (const fault of FAULTS) {
      const snr = a.envelope[fault];
      // Cleared only well under the threshold (0.75 x): a signature near it otherwise flaps raised, cleared, raised.
      const flag = this.faults[fault];
      const change = flag.observe(snr > this.rules.envelopeSnr * (flag.raised ? 0.75 : 1));
      if (change === undefined) continue;
      events.push({
        kind: 'bearing-fault',
        severity: change === 'raised' ? 'alarm' : 'info',
        message: `${FAULT_NAMES[fault]} bearing-fault signature ${change === 'raised' ? 'persists' : 'cleared'}: envelope peak ${snr.toFixed(1)} x floor at ${this.frequencies[fault].toFixed(1)} Hz`,
        evidence: { state: change, fault, frequencyHz: round(this.frequencies[fault]), peakToFloor: round(snr), threshold: this.rules.envelopeSnr, debounce: this.rules.debounce },
      });
    }
    if (this.baseline !== undefined) {
      for (const k of BASELINE_INDICATORS) {
        const { mean, std } = this.baseline[k];
        const limit = Math.max(mean + this.rules.baselineSigma * std, 1.5 * mean);
        const change = this.deviations[k].observe(a[k] > limit);
        if (change === undefined) continue;
        events.push({
          kind: 'baseline-deviation',
          severity: change === 'raised' ? 'warning' : 'info',
          message: `${k} ${change === 'raised' ? 'above' : 'back within'} its healthy baseline: ${round(a[k])} against a limit of ${round(limit)}`,
          evidence: { state: change, indicator: k, value: round(a[k]), limit: round(limit), baselineMean: round(mean), baselineStd: round(std), sigma: this.rules.baselineSigma },
        });
      }
    }
    if (health !== undefined) {
      const change = this.healthFlag.observe(health < this.rules.healthAlarm);
      if (change !== undefined) {
        events.push({
          kind: 'health-degraded',
          severity: change === 'raised' ? 'warning' : 'info',
          message: `health index ${change === 'raised' ? 'under' : 'back over'} ${this.rules.healthAlarm}: ${health.toFixed(3)}`,
          evidence: { state: change, health: round(health), threshold: this.rules.healthAlarm },
        });
      }
    }
    return events;
  }

  /** A velocity RMS (mm/s) from a window or from a vibration module's own register: zone and prediction. */
  observeVelocity(at: number, vRms: number, evidence: Record<string, JsonValue> = {}, health?: number): EventDraft[] {
    this.windows.push({ at, vRms, health: health ?? null });
    if (this.windows.length > Math.max(this.rules.debounce.n, 1)) this.windows.shift();
    const events: EventDraft[] = [];
    const change = this.zone.observe(vRms);
    if (change !== undefined && !(change.from === undefined && change.to === 'A')) {
      events.push({
        kind: 'zone-change',
        severity: ZONE_SEVERITY[change.to],
        message: `ISO 10816-3 zone ${change.from ?? '(none)'} -> ${change.to}: velocity RMS ${vRms.toFixed(2)} mm/s`,
        evidence: { from: change.from ?? null, to: change.to, vRmsMmS: round(vRms), limitsMmS: { ab: this.limits.ab, bc: this.limits.bc, cd: this.limits.cd }, debounce: this.rules.debounce, ...evidence },
      });
    }
    const { closed, shifted } = this.trend.add(at, vRms);
    if (shifted) {
      // A new level (a repair, a jump): what was predicted from the old segment no longer holds.
      this.predicted.clear();
      this.prediction = null;
    }
    if (closed) events.push(...this.predict(at));
    return events;
  }

  state(): ConditionState {
    const zone = this.zone.current ?? null;
    const judged = zone === null ? undefined : [...this.windows].reverse().find((w) => this.supports(w.vRms, zone));
    const newest = this.windows[this.windows.length - 1];
    return {
      zone,
      vRms: judged === undefined ? null : round(judged.vRms),
      health: judged?.health === undefined || judged.health === null ? null : round(judged.health),
      judgedAt: judged === undefined ? null : new Date(judged.at).toISOString(),
      latest:
        newest === undefined
          ? null
          : { vRms: round(newest.vRms), health: newest.health === null ? null : round(newest.health), at: new Date(newest.at).toISOString() },
      prediction: this.prediction,
      faults: FAULTS.filter((f) => this.faults[f].raised),
      deviations: BASELINE_INDICATORS.filter((k) => this.deviations[k].raised),
      baseline: this.baseline === undefined ? this.learning.state : 'ready',
      baselineNote: this.baseline === undefined ? this.learning.note : null,
      limitsMmS: { ab: this.limits.ab, bc: this.limits.bc, cd: this.limits.cd },
    };
  }

  /**
   * Whether a window's velocity fits the reported zone: it lies in that zone, or just below it within the hysteresis
   * margin that keeps the zone from coming down (ZoneTracker).
   */
  private supports(vRms: number, zone: Zone): boolean {
    const own = zoneOf(vRms, this.limits);
    if (own === zone) return true;
    const below = ZONE_ORDER[ZONE_ORDER.indexOf(zone) - 1];
    return below !== undefined && own === below && vRms > upperLimit(below, this.limits)! * (1 - this.rules.hysteresis);
  }

  /** Runs when a trend bucket closes: the fit only changes then. */
  private predict(at: number): EventDraft[] {
    const events: EventDraft[] = [];
    const zone = this.zone.current;
    this.prediction = null;
    const points = this.trend.series();
    const settled = !this.trend.unsettled();
    // One fit serves both limits (it does not depend on them).
    const fit = settled && points.length >= this.rules.minTrendPoints ? fitTrend(points) : undefined;
    for (const boundary of ['C', 'D'] as const) {
      const limit = boundary === 'C' ? upperLimit('B', this.limits)! : upperLimit('C', this.limits)!;
      if (zone === boundary || zone === 'D') continue;
      const p: Prediction | undefined = fit === undefined ? undefined : predictCrossing(points, limit, fit);
      // A trend counts when it explains the data (R²), its growth rate is 3 standard errors above zero, and it rose
      // by 10 % over its segment: a few noisy points on a flat signal can line up by chance, a degradation keeps rising.
      const near =
        p !== undefined && p.confidence >= this.rules.minConfidence && p.tStat >= MIN_T && p.rise >= MIN_RISE && p.inHours <= this.rules.horizonHours;
      if (near && this.prediction === null) {
        this.prediction = {
          boundary,
          limitMmS: limit,
          at: new Date(p.at).toISOString(),
          inHours: round(p.inHours),
          confidence: round(p.confidence),
          earliest: new Date(p.earliestAt).toISOString(),
          latest: p.latestAt === null ? null : new Date(p.latestAt).toISOString(),
        };
      }
      if (near && !this.predicted.has(boundary)) {
        this.predicted.add(boundary);
        const latest = p.latestAt === null ? 'not bounded' : `${((p.latestAt - at) / 3_600_000).toFixed(2)} h`;
        events.push({
          kind: 'predicted-threshold',
          severity: boundary === 'D' ? 'alarm' : 'warning',
          message: `velocity RMS trend reaches the zone ${boundary} limit (${limit} mm/s) in ${p.inHours.toFixed(2)} h (between ${((p.earliestAt - at) / 3_600_000).toFixed(2)} h and ${latest}; R² ${p.confidence.toFixed(2)})`,
          evidence: {
            boundary,
            limitMmS: limit,
            predictedAt: new Date(p.at).toISOString(),
            earliestAt: new Date(p.earliestAt).toISOString(),
            latestAt: p.latestAt === null ? null : new Date(p.latestAt).toISOString(),
            inHours: round(p.inHours),
            confidence: round(p.confidence),
            tStat: round(Math.min(p.tStat, 1e6)),
            ratePerHour: round(p.ratePerHour),
            rise: round(p.rise),
            points: points.length,
            segmentFrom: new Date(points[0].at).toISOString(),
            horizonHours: this.rules.horizonHours,
            at: new Date(at).toISOString(),
          },
        });
      } else if (!near && this.predicted.has(boundary) && (p === undefined || p.inHours > 1.5 * this.rules.horizonHours)) {
        this.predicted.delete(boundary); // re-armed: the trend went away
      }
    }
    return events;
  }
}

/** The growth rate's t statistic and the segment's rise a prediction needs (see predict). */
const MIN_T = 3;
const MIN_RISE = 1.1;

function round(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : 0;
}
