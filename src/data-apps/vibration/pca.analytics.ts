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
  /** The baseline's own SPE at its 99th percentile: the index is 0.5 there. */
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

/** The health index of a residual: 1 - sigmoid(alpha (spe - threshold)), alpha = 6 / threshold. */
export function healthIndex(residual: number, threshold: number): number {
  const alpha = 6 / threshold;
  return 1 - 1 / (1 + Math.exp(-alpha * (residual - threshold)));
}

/** Fits the model on healthy rows (at least 3). A feature that does not vary gets a floor on its deviation. */
export function fitPca(rows: readonly number[][], components: number): PcaModel {
  const f = rows[0].length;
  const n = rows.length;
  const mean = Array.from({ length: f }, (_, i) => rows.reduce((s, r) => s + r[i], 0) / n);
  const std = Array.from({ length: f }, (_, i) => {
    const sd = Math.sqrt(rows.reduce((s, r) => s + (r[i] - mean[i]) ** 2, 0) / Math.max(1, n - 1));
    // Floors: a constant baseline feature must not turn noise into an alarm.
    return Math.max(sd, 0.05 * Math.abs(mean[i]), 1e-3);
  });
  const z = rows.map((r) => standardise(r, mean, std));
  const cov = Array.from({ length: f }, (_, i) => Array.from({ length: f }, (_, j) => z.reduce((s, r) => s + r[i] * r[j], 0) / Math.max(1, n - 1)));
  const { vectors } = symmetricEigen(cov);
  const k = Math.max(1, Math.min(components, f - 1));
  const axes = Array.from({ length: f }, (_, i) => Array.from({ length: k }, (_, j) => vectors[j][i]));
  const residuals = rows.map((r) => spe({ mean, std, axes }, r)).sort((a, b) => a - b);
  const p99 = residuals[Math.min(residuals.length - 1, Math.floor(0.99 * residuals.length))];
  // With few baseline windows the 99th percentile is the maximum; a floor keeps the index from reacting to noise.
  return { mean, std, axes, threshold: Math.max(p99 * 1.5, 0.5) };
}
