/**
 * Mean and sample covariance of row-major data in two passes: first the mean (with a
 * correction pass so a constant column gets its value back exactly), then the centred
 * cross-products. A one-pass sum of squares loses every digit on values near 4e9 (CRC-32,
 * IPv4): x² ≈ 1.6e19, beyond float64's 2^53 integer precision.
 * A month too large to hold is summed chunk by chunk (MomentsAccumulator): each chunk's moments
 * in two passes as above, merged with Chan, Golub and LeVeque's pairwise update, which is as
 * stable (the merge adds centred sums and the outer product of the difference of two means).
 */

export interface Moments {
  n: number;
  d: number;
  mean: Float64Array;
  /** Row-major d × d sample covariance (divided by n − 1); all zeros when n < 2. */
  covariance: Float64Array;
}

/** Mean and sample covariance (n − 1) of `n` rows of `d` columns stored row-major in `data`. */
export function computeMoments(data: Float64Array, n: number, d: number): Moments {
  const sums = new MomentsAccumulator(d);
  sums.add(data, n);
  return sums.moments();
}

/** Mean and sample covariance of rows given a chunk at a time (any number of chunks, any sizes). */
export class MomentsAccumulator {
  readonly d: number;
  /** Rows added. */
  n = 0;
  private readonly mean: Float64Array;
  /** Σ (x_a − m_a)(x_b − m_b) over the rows added, for a ≤ b (row-major, upper triangle). */
  private readonly centred: Float64Array;

  constructor(d: number) {
    this.d = d;
    this.mean = new Float64Array(d);
    this.centred = new Float64Array(d * d);
  }

  /** Add `n` rows of `data` (row-major, d columns). */
  add(data: Float64Array, n: number): void {
    if (n === 0) return;
    const d = this.d;
    const mean = new Float64Array(d);
    centredSums(data, n, new Float64Array(d), mean);
    for (let j = 0; j < d; j++) mean[j]! /= n;
    // Correction pass: mean += Σ(x − mean)/n removes the rounding of the first division.
    const correction = new Float64Array(d);
    centredSums(data, n, mean, correction);
    for (let j = 0; j < d; j++) mean[j]! += correction[j]! / n;
    const centred = new Float64Array(d * d);
    if (n >= 2) crossProducts(data, n, d, mean, centred);
    if (this.n === 0) {
      this.mean.set(mean);
      this.centred.set(centred);
      this.n = n;
      return;
    }
    // Chan et al.: M = M_A + M_B + δδᵀ·n_A·n_B/n, mean = mean_A + δ·n_B/n, δ = mean_B − mean_A.
    const total = this.n + n;
    const weight = (this.n * n) / total;
    const delta = new Float64Array(d);
    for (let j = 0; j < d; j++) delta[j] = mean[j]! - this.mean[j]!;
    for (let a = 0; a < d; a++) {
      const row = a * d;
      for (let b = a; b < d; b++) this.centred[row + b]! += centred[row + b]! + delta[a]! * delta[b]! * weight;
    }
    // A column equal in both parts keeps its value exactly (δ = 0).
    for (let j = 0; j < d; j++) if (delta[j] !== 0) this.mean[j]! += (delta[j]! * n) / total;
    this.n = total;
  }

  /** The mean and sample covariance of every row added. */
  moments(): Moments {
    const { n, d } = this;
    const mean = Float64Array.from(this.mean);
    const covariance = new Float64Array(d * d);
    if (n < 2) return { n, d, mean, covariance };
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        const v = this.centred[a * d + b]! / (n - 1);
        covariance[a * d + b] = v;
        covariance[b * d + a] = v;
      }
    }
    return { n, d, mean, covariance };
  }
}

/** Adds Σ (x_a − m_a)(x_b − m_b) over the rows to covariance[a·d + b], for a ≤ b. */
function crossProducts(data: Float64Array, n: number, d: number, mean: Float64Array, covariance: Float64Array): void {
  const centred = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++, o += d) {
    for (let j = 0; j < d; j++) centred[j] = data[o + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ca = centred[a]!;
      const row = a * d;
      for (let b = a; b < d; b++) covariance[row + b]! += ca * centred[b]!;
    }
  }
}

/** Adds the column sums of (x − center) over the rows to `out`. */
function centredSums(data: Float64Array, n: number, center: Float64Array, out: Float64Array): void {
  const d = center.length;
  for (let i = 0, o = 0; i < n; i++, o += d) for (let j = 0; j < d; j++) out[j]! += data[o + j]! - center[j]!;
}
