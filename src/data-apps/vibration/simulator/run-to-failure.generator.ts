/**
 * A seeded run-to-failure of the simulated pump, window by window, with its ground truth: a degrading pump
 * (PumpModel.degradation: healthy until an onset, then growing exponentially), and optionally a repair (back to
 * the healthy pump). The truth of a crossing is where the generated signal itself crosses a velocity limit: the
 * median of three seeds' windows, scanned every `stepS`. Pure and deterministic: the prediction tests and
 * `npm run bench` use it.
 */
import type { ChannelCondition, EventDraft } from '../condition.analytics.js';
import { analyzeWindow, usableBand, type AnalysisSettings, type WindowAnalysis } from '../vibration.analytics.js';
import { HEALTHY_PUMP, PumpSignal, type PumpModel } from './pump-signal.generator.js';

export interface RunToFailureOptions {
  seed: number;
  /** The degrading pump. */
  model: PumpModel;
  /** One window every this many seconds. */
  stepS: number;
  /** Repaired at this second (healthy again), if given. */
  repairAtS?: number;
  untilS: number;
  windowSamples?: number;
}

export interface RunWindow {
  atS: number;
  analysis: WindowAnalysis;
  repaired: boolean;
}

export const RUN_SETTINGS: AnalysisSettings = {
  sampleRateHz: 1000,
  shaftHz: HEALTHY_PUMP.rpm / 60,
  pistons: HEALTHY_PUMP.pistons,
  bearing: HEALTHY_PUMP.bearing,
  velocityBand: usableBand(1000),
  resonanceBand: { lowHz: 250, highHz: 480 },
};

/** Healthy for `onsetHours`, then the unbalance grows by `growthPerHour` each hour. */
export function degradingPump(onsetHours: number, growthPerHour: number): PumpModel {
  return { ...HEALTHY_PUMP, degradation: { onsetS: onsetHours * 3600, faultRate: 0, unbalanceRate: Math.log(growthPerHour) / 3600 } };
}

function windowAt(model: PumpModel, atS: number, seed: number, samples: number): WindowAnalysis {
  return analyzeWindow(new PumpSignal(model, RUN_SETTINGS.sampleRateHz, seed, atS).next(samples), RUN_SETTINGS);
}

export function* runToFailure(o: RunToFailureOptions): Generator<RunWindow> {
  const samples = o.windowSamples ?? 4096;
  let i = 0;
  for (let atS = 0; atS <= o.untilS; atS += o.stepS, i++) {
    const repaired = o.repairAtS !== undefined && atS >= o.repairAtS;
    yield { atS, analysis: windowAt(repaired ? HEALTHY_PUMP : o.model, atS, o.seed * 100_003 + i, samples), repaired };
  }
}

/** When the degrading pump's own velocity RMS crosses `limitMmS`, seconds (scanned every `stepS` from the onset). */
export function trueCrossingS(model: PumpModel, limitMmS: number, stepS: number, windowSamples = 4096): number {
  for (let atS = model.degradation?.onsetS ?? 0; atS < 1e8; atS += stepS) {
    const values = [1, 2, 3].map((s) => windowAt(model, atS, 7_777 + s, windowSamples).vRms).sort((a, b) => a - b);
    if (values[1] >= limitMmS) return atS;
  }
  throw new Error('the pump never crosses the limit');
}

export interface JudgedEvent {
  atS: number;
  event: EventDraft;
  repaired: boolean;
}

/** Every event `condition` raises over the run, with when and whether the pump was repaired by then. */
export function judgedEvents(o: RunToFailureOptions, condition: ChannelCondition): JudgedEvent[] {
  const out: JudgedEvent[] = [];
  for (const w of runToFailure(o)) for (const event of condition.observe(w.atS * 1000, w.analysis)) out.push({ atS: w.atS, event, repaired: w.repaired });
  return out;
}

/** The first prediction of the `boundary` crossing: when it came and the time it named, seconds. */
export function firstPrediction(events: readonly JudgedEvent[], boundary: 'C' | 'D'): { atS: number; predictedS: number } | undefined {
  const first = events.find((e) => e.event.kind === 'predicted-threshold' && e.event.evidence.boundary === boundary);
  return first === undefined ? undefined : { atS: first.atS, predictedS: new Date(first.event.evidence.predictedAt as string).getTime() / 1000 };
}
