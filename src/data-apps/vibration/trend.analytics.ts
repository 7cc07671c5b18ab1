/**
 * Trend of an indicator and the time it will reach a limit, pure. Degradation curves of bearings and unbalance grow
 * roughly exponentially after onset (IMS and PRONOSTIA run-to-failure data show the two-stage shape), so the fit
 * is ln v = a t + b by least squares over a sliding horizon; the limit is reached at t = (ln L - b) / a when a > 0.
 * The confidence is the fit's R² (share of the variance of ln v the line explains).
 */
export interface TrendPoint {
  /** Time, ms since the epoch. */
  at: number;
  value: number;
}

export interface Prediction {
  /** When the limit is expected, ms since the epoch. */
  at: number;
  /** From the last point, hours. */
  inHours: number;
  /** R² of the exponential fit (0..1). */
  confidence: number;
  /** Growth rate of ln v, per hour. */
  ratePerHour: number;
}

export function fitExponential(points: readonly TrendPoint[]): { a: number; b: number; r2: number; t0: number } | undefined {
  const usable = points.filter((p) => p.value > 0);
  if (usable.length < 3) return undefined;
  const t0 = usable[0].at;
  const xs = usable.map((p) => (p.at - t0) / 3_600_000);
  const ys = usable.map((p) => Math.log(p.value));
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) return undefined;
  const a = sxy / sxx;
  const b = my - a * mx;
  const r2 = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { a, b, r2, t0 };
}

/** When `limit` will be reached, if the trend rises towards it. */
export function predictCrossing(points: readonly TrendPoint[], limit: number): Prediction | undefined {
  const fit = fitExponential(points);
  if (fit === undefined || fit.a <= 0) return undefined;
  const last = points[points.length - 1];
  const hours = (Math.log(limit) - fit.b) / fit.a;
  const at = fit.t0 + hours * 3_600_000;
  if (last.value >= limit) return { at: last.at, inHours: 0, confidence: fit.r2, ratePerHour: fit.a };
  return { at, inHours: Math.max(0, (at - last.at) / 3_600_000), confidence: fit.r2, ratePerHour: fit.a };
}

/** A sliding horizon of points, one per `bucketMs` (the mean of the values in it), at most `horizonMs` old. */
export class TrendHorizon {
  private readonly points: TrendPoint[] = [];
  private bucket: { start: number; sum: number; count: number } | undefined;

  constructor(
    private readonly horizonMs: number,
    private readonly bucketMs: number,
  ) {}

  add(at: number, value: number): void {
    const start = Math.floor(at / this.bucketMs) * this.bucketMs;
    if (this.bucket !== undefined && this.bucket.start !== start) this.close();
    this.bucket ??= { start, sum: 0, count: 0 };
    this.bucket.sum += value;
    this.bucket.count++;
    while (this.points.length > 0 && this.points[0].at < at - this.horizonMs) this.points.shift();
  }

  /** Closed buckets, plus the open one. */
  series(): TrendPoint[] {
    const open = this.bucket === undefined ? [] : [{ at: this.bucket.start + this.bucketMs / 2, value: this.bucket.sum / this.bucket.count }];
    return [...this.points, ...open];
  }

  private close(): void {
    if (this.bucket === undefined) return;
    this.points.push({ at: this.bucket.start + this.bucketMs / 2, value: this.bucket.sum / this.bucket.count });
    this.bucket = undefined;
  }
}
