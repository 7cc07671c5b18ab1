/**
 * Trend of a velocity RMS and the time it will reach a limit, pure.
 *
 * Model. A fault (unbalance, a bearing defect) adds a component that grows roughly exponentially after its onset
 * (the two-stage shape of the IMS and PRONOSTIA run-to-failure data), on top of what the machine always makes.
 * RMS values of independent components add in squares, so the fit is
 *   v(t)² = f² + e^(a t + b)
 * with f the steady floor: a plain exponential of v (f = 0) bends the wrong way while the growing part is still
 * small beside the floor, and announces the crossing late, or never. For each floor on a grid under the segment's
 * smallest value, ln(v² - f²) = a t + b is fitted by weighted least squares (weights from the delta method, so
 * points barely above the floor do not dominate); the floor whose fit explains ln v best wins.
 *
 * Segments. The fit only looks at the points since the last level shift: a repair (the level falls at once), a
 * re-mounted sensor or a sudden fault (it jumps). A shift is a step between two buckets far larger than the
 * bucket-to-bucket noise and than the trend's own rise per bucket, confirmed by the next buckets staying at the
 * new level; while a step is unconfirmed, no prediction is made.
 *
 * Confidence. A prediction is made only on a rising trend that is there: R² of the fit in ln v, the growth rate's
 * t statistic (a / se(a)), and a bound on the crossing time from a ± 2 se(a). A crossing time at or before the
 * newest point is never announced (the fit then says the limit should have been crossed, and it was not).
 */
export interface TrendPoint {
  /** Time, ms since the epoch. */
  at: number;
  value: number;
}

export interface TrendFit {
  /** The steady floor f, same unit as the values. */
  floor: number;
  /** Growth rate of ln(v² - f²), per hour, and its standard error. */
  a: number;
  seA: number;
  /** Intercept at t0 (hours since t0 are the abscissa). */
  b: number;
  t0: number;
  /** Share of the variance of ln v the fit explains (0..1). */
  r2: number;
  points: number;
}

export interface Prediction {
  /** When the limit is expected, ms since the epoch (always after the newest point). */
  at: number;
  /** From the newest point, hours. */
  inHours: number;
  /** The crossing time with the growth rate at a - 2 se and a + 2 se: null when a - 2 se is not rising. */
  latestAt: number | null;
  earliestAt: number;
  /** R² of the fit in ln v (0..1). */
  confidence: number;
  /** t statistic of the growth rate. */
  tStat: number;
  /** Growth rate of the excess over the floor, ln per hour (a / 2: the fit is in squares). */
  ratePerHour: number;
  /** How much the fitted value rose over the segment (ratio, end / start). */
  rise: number;
}

const FLOOR_FRACTIONS = [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95];
const HOUR = 3_600_000;

function weightedLine(xs: readonly number[], ys: readonly number[], ws: readonly number[]): { a: number; b: number; seA: number } | undefined {
  let sw = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < xs.length; i++) {
    sw += ws[i];
    mx += ws[i] * xs[i];
    my += ws[i] * ys[i];
  }
  if (sw <= 0) return undefined;
  mx /= sw;
  my /= sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxx += ws[i] * (xs[i] - mx) ** 2;
    sxy += ws[i] * (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx <= 0) return undefined;
  const a = sxy / sxx;
  const b = my - a * mx;
  let sse = 0;
  for (let i = 0; i < xs.length; i++) sse += ws[i] * (ys[i] - a * xs[i] - b) ** 2;
  const dof = Math.max(1, xs.length - 2);
  return { a, b, seA: Math.sqrt(sse / dof / sxx) };
}

/** The best floor-plus-exponential fit of a segment (at least 3 positive points), or undefined. */
export function fitTrend(points: readonly TrendPoint[]): TrendFit | undefined {
  const usable = points.filter((p) => p.value > 0 && Number.isFinite(p.value));
  if (usable.length < 3) return undefined;
  const t0 = usable[0].at;
  const xs = usable.map((p) => (p.at - t0) / HOUR);
  const lnV = usable.map((p) => Math.log(p.value));
  const meanLn = lnV.reduce((s, y) => s + y, 0) / lnV.length;
  const sst = lnV.reduce((s, y) => s + (y - meanLn) ** 2, 0);
  const smallest = Math.min(...usable.map((p) => p.value));
  let best: TrendFit | undefined;
  let bestSse = Infinity;
  for (const fraction of FLOOR_FRACTIONS) {
    const f2 = (fraction * smallest) ** 2;
    const ys = usable.map((p) => Math.log(p.value * p.value - f2));
    // var ln(v² - f²) = (2v² / (v² - f²))² var ln v: the weight is its inverse.
    const ws = usable.map((p) => ((p.value * p.value - f2) / (2 * p.value * p.value)) ** 2);
    const line = weightedLine(xs, ys, ws);
    if (line === undefined) continue;
    let sse = 0;
    for (let i = 0; i < xs.length; i++) sse += (lnV[i] - 0.5 * Math.log(f2 + Math.exp(line.a * xs[i] + line.b))) ** 2;
    if (sse < bestSse) {
      bestSse = sse;
      best = { floor: Math.sqrt(f2), a: line.a, seA: line.seA, b: line.b, t0, r2: sst === 0 ? 0 : Math.max(0, 1 - sse / sst), points: usable.length };
    }
  }
  return best;
}

/** The fitted value at `at`. */
export function fitted(fit: TrendFit, at: number): number {
  return Math.sqrt(fit.floor ** 2 + Math.exp(fit.a * ((at - fit.t0) / HOUR) + fit.b));
}

function crossingAt(fit: TrendFit, a: number, limit: number, pivotHours: number): number | undefined {
  if (a <= 0 || limit <= fit.floor) return undefined;
  // The line turns about the weighted centre; near enough the segment's middle for a bound.
  const yPivot = fit.a * pivotHours + fit.b;
  const hours = pivotHours + (Math.log(limit * limit - fit.floor ** 2) - yPivot) / a;
  return fit.t0 + hours * HOUR;
}

/**
 * When `limit` will be reached, if the segment's trend rises towards it: undefined for a falling or flat trend,
 * a limit under the floor, or a crossing time not after the newest point.
 */
export function predictCrossing(points: readonly TrendPoint[], limit: number, fit = fitTrend(points)): Prediction | undefined {
  if (fit === undefined || fit.a <= 0) return undefined;
  const last = points[points.length - 1];
  const first = points[0];
  const pivot = (last.at - first.at) / 2 / HOUR;
  const at = crossingAt(fit, fit.a, limit, pivot);
  if (at === undefined || at <= last.at) return undefined;
  const earliest = crossingAt(fit, fit.a + 2 * fit.seA, limit, pivot) ?? at;
  const latest = crossingAt(fit, fit.a - 2 * fit.seA, limit, pivot) ?? null;
  return {
    at,
    inHours: (at - last.at) / HOUR,
    earliestAt: Math.max(earliest, last.at),
    latestAt: latest,
    confidence: fit.r2,
    tStat: fit.seA === 0 ? Infinity : fit.a / fit.seA,
    ratePerHour: fit.a / 2,
    rise: fitted(fit, last.at) / fitted(fit, first.at),
  };
}

export interface ShiftRules {
  /** Buckets that must stay at the new level to confirm a shift. */
  confirm: number;
  /** The smallest level change that counts, as a ratio (1.3: 30 %). */
  minRatio: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Where the newest points start a new level, if they do: the index of the first point of the new segment. A step
 * counts when ln of the level changes by at least ln(minRatio) and by 6 robust deviations of the bucket-to-bucket
 * differences before it, most of it (60 %) in one step (a trend rises over many), and the `confirm` newest points
 * all stay past half of it.
 */
export function levelShift(points: readonly TrendPoint[], rules: ShiftRules): number | undefined {
  const m = rules.confirm;
  const n = points.length;
  if (n < 2 * m) return undefined;
  const ln = points.map((p) => Math.log(Math.max(p.value, 1e-12)));
  const boundary = n - m;
  const before = ln.slice(Math.max(0, boundary - 4 * m), boundary);
  const after = ln.slice(boundary);
  const diffs = before.slice(1).map((y, i) => Math.abs(y - before[i]));
  const noise = diffs.length === 0 ? 0 : (1.4826 * median(diffs)) / Math.SQRT2;
  const reference = median(before.slice(-m));
  const change = median(after) - reference;
  if (Math.abs(change) < Math.max(Math.log(rules.minRatio), 6 * noise)) return undefined;
  const step = after[0] - before[before.length - 1];
  if (Math.sign(step) !== Math.sign(change) || Math.abs(step) < 0.6 * Math.abs(change)) return undefined;
  if (!after.every((y) => Math.sign(y - reference) === Math.sign(change) && Math.abs(y - reference) >= 0.5 * Math.abs(change))) return undefined;
  return boundary;
}

/**
 * Whether one of the `confirm` newest points stepped from the point before it by a shift's size: a shift may be
 * starting (or an outlier passing), and the segment is not fitted until that is settled.
 */
export function unsettled(points: readonly TrendPoint[], rules: ShiftRules): boolean {
  const ln = (p: TrendPoint): number => Math.log(Math.max(p.value, 1e-12));
  for (let i = Math.max(1, points.length - rules.confirm); i < points.length; i++) {
    if (Math.abs(ln(points[i]) - ln(points[i - 1])) >= Math.log(rules.minRatio)) return true;
  }
  return false;
}

/**
 * A sliding horizon of points, one per `bucketMs` (the mean of the values in it), at most `horizonMs` old, cut at
 * the last level shift. `add` says when a bucket closed (the moment to fit again) and whether it started a segment.
 */
export class TrendHorizon {
  private points: TrendPoint[] = [];
  private bucket: { start: number; sum: number; count: number } | undefined;
  constructor(
    private readonly horizonMs: number,
    private readonly bucketMs: number,
    private readonly shift: ShiftRules = { confirm: 3, minRatio: 1.3 },
  ) {}

  add(at: number, value: number): { closed: boolean; shifted: boolean } {
    const start = Math.floor(at / this.bucketMs) * this.bucketMs;
    let closed = false;
    let shifted = false;
    if (this.bucket !== undefined && this.bucket.start !== start) {
      shifted = this.close();
      closed = true;
    }
    this.bucket ??= { start, sum: 0, count: 0 };
    this.bucket.sum += value;
    this.bucket.count++;
    while (this.points.length > 0 && this.points[0].at < at - this.horizonMs) this.points.shift();
    return { closed, shifted };
  }

  /** Closed buckets of the current segment. */
  series(): readonly TrendPoint[] {
    return this.points;
  }

  /** Whether the newest bucket may be the start of a shift not confirmed yet. */
  unsettled(): boolean {
    return unsettled(this.points, this.shift);
  }

  private close(): boolean {
    const bucket = this.bucket!;
    this.bucket = undefined;
    this.points.push({ at: bucket.start + this.bucketMs / 2, value: bucket.sum / bucket.count });
    const from = levelShift(this.points, this.shift);
    if (from === undefined) return false;
    this.points = this.points.slice(from);
    return true;
  }
}
