/**
 * Distances from a fitted model: the plain Mahalanobis distance sqrt((x − μ)ᵀ Σ⁺ (x − μ)) of
 * each row, computed on the standardised, kept columns. The hot loop works on Float64Array
 * with one scratch buffer; no objects per row. Distances are never NaN or Infinity.
 */
import type { DetectionModel } from "./model.ts";
import type { EncodedRows } from "./encoded-rows.ts";

/** Largest distance reported (instead of Infinity, which JSON cannot carry). */
export const MAX_DISTANCE = Number.MAX_VALUE;

/** Distances of the `n` rows of `data` (row-major, model.d columns) into `out` (allocated if absent). */
export function scoreVectors(model: DetectionModel, data: Float64Array, n: number, out: Float64Array = new Float64Array(n)): Float64Array {
  const { d, kept, factor, rank, method } = model;
  const k = kept.length;
  if (method === "none") {
    out.fill(0, 0, n);
    return out;
  }
  const mu = new Float64Array(k);
  const inv = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    mu[a] = model.mean[kept[a]!]!;
    inv[a] = 1 / model.std[kept[a]!]!;
  }
  const z = new Float64Array(k);
  if (method === "cholesky") {
    const invDiag = new Float64Array(k);
    for (let a = 0; a < k; a++) invDiag[a] = 1 / factor[a * k + a]!;
    for (let i = 0, o = 0; i < n; i++, o += d) {
      let sum = 0;
      for (let a = 0; a < k; a++) {
        // Forward substitution L y = z, y overwriting z in place.
        let s = (data[o + kept[a]!]! - mu[a]!) * inv[a]!;
        const row = a * k;
        for (let p = 0; p < a; p++) s -= factor[row + p]! * z[p]!;
        const y = s * invDiag[a]!;
        z[a] = y;
        sum += y * y;
      }
      const dist = Math.sqrt(sum);
      out[i] = dist <= MAX_DISTANCE ? dist : MAX_DISTANCE;
    }
    return out;
  }
  for (let i = 0, o = 0; i < n; i++, o += d) {
    for (let a = 0; a < k; a++) z[a] = (data[o + kept[a]!]! - mu[a]!) * inv[a]!;
    let sum = 0;
    for (let c = 0; c < rank; c++) {
      let y = 0;
      const row = c * k;
      for (let a = 0; a < k; a++) y += factor[row + a]! * z[a]!;
      sum += y * y;
    }
    const dist = Math.sqrt(sum);
    out[i] = dist <= MAX_DISTANCE ? dist : MAX_DISTANCE;
  }
  return out;
}

/** Distances of every row of `rows`, in order (8 bytes per row: the one array a fit holds per event). */
export function scoreRows(model: DetectionModel, rows: EncodedRows): Float64Array {
  const out = new Float64Array(rows.n);
  rows.forEachBlock((data, count, first) => scoreVectors(model, data, count, out.subarray(first, first + count)));
  return out;
}

/** The distance of one encoded row at `offset`. */
export function distanceOf(model: DetectionModel, data: Float64Array, offset = 0): number {
  const out = new Float64Array(1);
  scoreVectors(model, offset === 0 ? data : data.subarray(offset, offset + model.d), 1, out);
  return out[0]!;
}

export interface FeatureContribution {
  feature: string;
  /** z_j (Σ⁺ z)_j / distance²: the shares sum to 1; a share may be negative for correlated features. */
  share: number;
}

/**
 * Each kept feature's share of the squared distance of the row at `offset`, largest |share|
 * first. Dropped features have no share. Empty when the distance is 0.
 */
export function contributions(model: DetectionModel, data: Float64Array, offset = 0): FeatureContribution[] {
  const { kept, factor, rank, method } = model;
  const k = kept.length;
  if (method === "none") return [];
  const z = new Float64Array(k);
  for (let a = 0; a < k; a++) z[a] = (data[offset + kept[a]!]! - model.mean[kept[a]!]!) / model.std[kept[a]!]!;
  const pz = new Float64Array(k);
  if (method === "cholesky") {
    const y = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = z[a]!;
      for (let p = 0; p < a; p++) s -= factor[a * k + p]! * y[p]!;
      y[a] = s / factor[a * k + a]!;
    }
    // Back substitution Lᵀ (Σ⁻¹z) = y.
    for (let a = k - 1; a >= 0; a--) {
      let s = y[a]!;
      for (let p = a + 1; p < k; p++) s -= factor[p * k + a]! * pz[p]!;
      pz[a] = s / factor[a * k + a]!;
    }
  } else {
    for (let c = 0; c < rank; c++) {
      let y = 0;
      for (let a = 0; a < k; a++) y += factor[c * k + a]! * z[a]!;
      for (let a = 0; a < k; a++) pz[a]! += factor[c * k + a]! * y;
    }
  }
  let total = 0;
  for (let a = 0; a < k; a++) total += z[a]! * pz[a]!;
  if (!(total > 0) || !Number.isFinite(total)) return [];
  const out: FeatureContribution[] = [];
  for (let a = 0; a < k; a++) out.push({ feature: model.featureNames[kept[a]!]!, share: (z[a]! * pz[a]!) / total });
  // Shares equal to 9 digits (features that move together) keep the features' order, whatever the rounding of the factor.
  const size = (c: FeatureContribution) => Number(Math.abs(c.share).toPrecision(9));
  return out.sort((x, y) => size(y) - size(x));
}
