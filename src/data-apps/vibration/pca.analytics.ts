/**
 * A principal-component model of healthy feature vectors, for the health index: standardise with the baseline's
 * mean and standard deviation, project onto the first k principal axes and back; the mean squared residual (the
 * SPE or Q statistic, Jackson & Mudholkar 1979) grows when a new vector leaves the healthy subspace. Pure.
 */
export interface PcaModel {
  mean: number[];
  std: number[];
  /** F x k, column j the j-th principal axis. */
  axes: number[][];
  /** The residual where the index is 0.5: ten times the edge of the baseline's normal (see healthIndex). */
  threshold: number;
}

/** Eigenvectors of a symmetric matrix by cyclic Jacobi rotations, sorted by eigenvalue (largest first). */
export function symmetricEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = a.map((row, i) => ({ value: row[i], i })).sort((x, y) => y.value - x.value);
  return { values: order.map((o) => o.value), vectors: order.map((o) => v.map((row) => row[o.i])) };
}

function standardise(x: readonly number[], mean: readonly number[], std: readonly number[]): number[] {
  return x.map((v, i) => (v - mean[i]) / std[i]);
}

/** The squared residual (mean over features) of one vector under the model. */
export function spe(model: Omit<PcaModel, 'threshold'>, x: readonly number[]): number {
  const z = standardise(x, model.mean, model.std);
  const scores = model.axes[0].map((_, j) => z.reduce((s, v, i) => s + v * model.axes[i][j], 0));
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    const back = scores.reduce((s, score, j) => s + score * model.axes[i][j], 0);
    sum += (z[i] - back) ** 2;
  }
  return sum / z.length;
}

/** How steeply the index falls with the residual (the log-logistic's exponent). */
export const HEALTH_SLOPE = 1.5;
/** The index is 0.5 where the residual is this many times the edge of the baseline's normal. */
const MIDPOINT_FACTOR = 10;

/**
 * The health index of a residual: 1 / (1 + (spe / threshold)^1.5), a log-logistic in the residual. It is 0.97 at the
 * edge of the baseline's normal (threshold / 10), 0.5 at a residual ten times that (about three times the distance
 * from the healthy subspace), 0.03 at a hundred times. A sigmoid in the residual itself (the first version) fell
 * from 1 to 0 within zone B and stayed 0 from there on: it told healthy from not, never how bad; this one keeps
 * ranking the damage across the zones (health-index.spec: rank correlation with the velocity RMS).
 */
export function healthIndex(residual: number, threshold: number): number {
  return 1 / (1 + Math.pow(Math.max(residual, 0) / threshold, HEALTH_SLOPE));
}

/**
 * Upper quantile of chi-square with `dof` degrees of freedom (Wilson & Hilferty 1931), z the normal quantile: the
 * residual of a healthy vector standardised on a well-estimated baseline is chi-square(F - k) / F.
 */
function chiSquareQuantile(dof: number, z: number): number {
  const c = 2 / (9 * dof);
  return dof * Math.pow(1 - c + z * Math.sqrt(c), 3);
}

/**
 * Per feature (HEALTH_FEATURES order), the smallest deviation the model assumes: a change smaller than this is no
 * change of health (5 % of a logged indicator, 0.1 of crest, 1 % of the resonance band's energy share). A very quiet
 * baseline would otherwise turn noise into alarms.
 */
const STD_FLOORS = [0.05, 0.05, 0.05, 0.1, 0.05, 0.01, 0.05, 0.05];

/** Fits the model on healthy rows (at least 3). */
export function fitPca(rows: readonly number[][], components: number): PcaModel {
  const f = rows[0].length;
  const n = rows.length;
  const mean = Array.from({ length: f }, (_, i) => rows.reduce((s, r) => s + r[i], 0) / n);
  const std = Array.from({ length: f }, (_, i) => {
    const sd = Math.sqrt(rows.reduce((s, r) => s + (r[i] - mean[i]) ** 2, 0) / Math.max(1, n - 1));
    return Math.max(sd, STD_FLOORS[i] ?? 0.05, 1e-3);
  });
  const z = rows.map((r) => standardise(r, mean, std));
  const cov = Array.from({ length: f }, (_, i) => Array.from({ length: f }, (_, j) => z.reduce((s, r) => s + r[i] * r[j], 0) / Math.max(1, n - 1)));
  const { vectors } = symmetricEigen(cov);
  const k = Math.max(1, Math.min(components, f - 1));
  const axes = Array.from({ length: f }, (_, i) => Array.from({ length: k }, (_, j) => vectors[j][i]));
  const residuals = rows.map((r) => spe({ mean, std, axes }, r)).sort((a, b) => a - b);
  const p99 = residuals[Math.min(residuals.length - 1, Math.floor(0.99 * residuals.length))];
  // The edge of normal: the baseline's own 99th percentile with a margin, and never under what chi-square says a
  // healthy vector reaches once in a thousand (a few baseline windows underestimate the spread).
  const normal = Math.max(p99 * 1.5, chiSquareQuantile(f - k, 3.09) / f);
  return { mean, std, axes, threshold: MIDPOINT_FACTOR * normal };
}
