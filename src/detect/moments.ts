/**
 * Mean and sample covariance of row-major data in two passes: first the mean (with a
 * correction pass so a constant column gets its value back exactly), then the centred
 * cross-products. A one-pass sum of squares loses every digit on values near 4e9 (CRC-32,
 * IPv4): x² ≈ 1.6e19, beyond float64's 2^53 integer precision.
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
  const mean = new Float64Array(d);
  const covariance = new Float64Array(d * d);
  if (n === 0) return { n, d, mean, covariance };
  centredSums(data, n, new Float64Array(d), mean);
  for (let j = 0; j < d; j++) mean[j]! /= n;
  // Correction pass: mean += Σ(x − mean)/n removes the rounding of the first division.
  const correction = new Float64Array(d);
  centredSums(data, n, mean, correction);
  for (let j = 0; j < d; j++) mean[j]! += correction[j]! / n;
  if (n < 2) return { n, d, mean, covariance };
  crossProducts(data, n, d, mean, covariance);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = covariance[a * d + b]! / (n - 1);
      covariance[a * d + b] = v;
      covariance[b * d + a] = v;
    }
  }
  return { n, d, mean, covariance };
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
