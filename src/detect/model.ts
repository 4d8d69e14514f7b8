/**
 * The detector fitted on a baseline: mean and standard deviation per feature, the features
 * dropped for zero variance, and a factor of the standardised covariance (the correlation
 * matrix) for the distance. Numerics (DESIGN.md, "Detect"):
 * - Standardise first: the raw covariance of the classic vector has a condition number near
 *   1e18, the correlation matrix of the same data is well scaled (unit diagonal).
 * - A column is "zero variance" when its standard deviation is ≤ ZERO_STD_RELATIVE × max(|mean|, 1)
 *   (with the two-pass mean a constant column has exactly 0); it is dropped and reported.
 * - Cholesky on the kept block; a pivot ≤ MIN_PIVOT (relative to the unit diagonal) means "not
 *   positive definite" (collinear features, fewer events than dimensions), and the
 *   pseudo-inverse is used instead: eigenvalues ≤ PINV_RCOND × the largest count as zero, like
 *   numpy.linalg.pinv with rcond = 1e-10. We use 1e-10 rather than numpy's 1e-15 because on
 *   a unit-diagonal matrix built from values near 4e9 the rounding noise of a truly singular
 *   direction reaches about 1e-13; keeping it would turn noise into distances of millions.
 */
import { computeMoments, type Moments } from "./moments.ts";
import { cholesky, symmetricEigen } from "./linear-algebra.ts";
import { trimmedMoments, type RobustOptions } from "./robust-fit.ts";
import { oasShrinkage, shrinkInPlace } from "./shrinkage.ts";

export const ZERO_STD_RELATIVE = 1e-13;
export const MIN_PIVOT = 1e-10;
export const PINV_RCOND = 1e-10;

export type SolveMethod = "cholesky" | "pseudo-inverse" | "none";

export interface ModelOptions {
  /**
   * Keep constant columns with at least this variance (raw units) instead of dropping them; one
   * number for every column, or one per column.
   */
  varianceFloor?: number | readonly number[];
  /** Shrink the correlation matrix towards the identity (OAS, see shrinkage.ts). Default none. */
  shrinkage?: "oas";
  /** Refit without the baseline's own extreme rows (see robust-fit.ts). Default none. */
  robust?: RobustOptions;
}

export interface DetectionModel {
  featureNames: readonly string[];
  /** Events the baseline was fitted on. */
  n: number;
  /** Dimension of the encoded vector (all features, kept or not). */
  d: number;
  mean: Float64Array;
  /** Standard deviation per feature (sample, n − 1; floored when a floor was asked for). */
  std: Float64Array;
  /** Indices of the features used in the distance. */
  kept: Int32Array;
  /** Names of the features dropped for zero variance. */
  droppedFeatures: string[];
  method: SolveMethod;
  /**
   * The whitening factor: for "cholesky" the lower-triangular L (k × k) of the correlation
   * matrix R = L Lᵀ, applied by forward substitution; for "pseudo-inverse" W = Λ^-½ Vᵀ
   * (rank × k), applied by multiplication. In both cases distance² = ‖y‖² with y from z.
   */
  factor: Float64Array;
  /** Rows of `factor` used: k for Cholesky, the numerical rank for the pseudo-inverse. */
  rank: number;
}

/** Fit the detector on `n` encoded rows (row-major, d columns). */
export function fitModel(data: Float64Array, n: number, featureNames: readonly string[], options: ModelOptions = {}): DetectionModel {
  return fitBaseline(data, n, featureNames, options).model;
}

/**
 * Fit a baseline: the moments to store (mean and sample covariance; a feature set's options may
 * make them robust or shrunk, here and only here) and the detector built from them. Storing the
 * returned moments and calling modelFromMoments on them later gives the same detector.
 */
export function fitBaseline(data: Float64Array, n: number, featureNames: readonly string[], options: ModelOptions = {}): { moments: Moments; model: DetectionModel } {
  const moments = computeMoments(data, n, featureNames.length);
  const model = modelFromMoments(moments, featureNames, options);
  if (!options.robust) return { moments, model };
  const robust = trimmedMoments(data, n, featureNames.length, model, moments, options.robust);
  if (robust.trimmed === 0) return { moments, model };
  return { moments: robust.moments, model: modelFromMoments(robust.moments, featureNames, options) };
}

/** Build the detector from a baseline's mean and sample covariance (as stored). */
export function modelFromMoments(moments: Moments, featureNames: readonly string[], options: ModelOptions = {}): DetectionModel {
  const { n, d, mean, covariance } = moments;
  if (featureNames.length !== d) throw new RangeError(`Expected ${d} feature names, got ${featureNames.length}.`);
  const std = new Float64Array(d);
  const keptList: number[] = [];
  const floors = options.varianceFloor;
  for (let j = 0; j < d; j++) {
    let variance = covariance[j * d + j]!;
    if (!(variance > 0) || !Number.isFinite(variance)) variance = 0;
    const floor = typeof floors === "number" ? floors : (floors?.[j] ?? 0);
    if (floor > 0 && n >= 2) variance = Math.max(variance, floor);
    const s = Math.sqrt(variance);
    std[j] = s;
    if (n >= 2 && s > ZERO_STD_RELATIVE * Math.max(Math.abs(mean[j]!), 1)) keptList.push(j);
  }
  const kept = Int32Array.from(keptList);
  const droppedFeatures = featureNames.filter((_, j) => !keptList.includes(j));
  const k = kept.length;
  if (k === 0) return { featureNames, n, d, mean, std, kept, droppedFeatures, method: "none", factor: new Float64Array(0), rank: 0 };

  // Correlation matrix of the kept columns: C_ab / (s_a s_b), unit diagonal.
  const r = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const ja = kept[a]!;
    for (let b = 0; b < k; b++) {
      const jb = kept[b]!;
      r[a * k + b] = a === b ? 1 : covariance[ja * d + jb]! / (std[ja]! * std[jb]!);
    }
  }
  if (options.shrinkage === "oas") shrinkInPlace(r, k, oasShrinkage(r, k, n));
  const l = cholesky(r, k, MIN_PIVOT);
  if (l) return { featureNames, n, d, mean, std, kept, droppedFeatures, method: "cholesky", factor: l, rank: k };

  const { values, vectors } = symmetricEigen(r, k);
  const cutoff = PINV_RCOND * Math.max(values[0]!, 0);
  let rank = 0;
  while (rank < k && values[rank]! > cutoff) rank++;
  const w = new Float64Array(rank * k);
  for (let c = 0; c < rank; c++) {
    const scale = 1 / Math.sqrt(values[c]!);
    for (let a = 0; a < k; a++) w[c * k + a] = vectors[a * k + c]! * scale;
  }
  return { featureNames, n, d, mean, std, kept, droppedFeatures, method: "pseudo-inverse", factor: w, rank };
}
