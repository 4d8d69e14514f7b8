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
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from "ml-matrix";
import { MomentsAccumulator, type Moments } from "./moments.ts";
import { trimmedMomentsOf, type RobustOptions } from "./robust-fit.ts";
import { rowsInMemory, type EncodedRows } from "./encoded-rows.ts";
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
  return fitRows(rowsInMemory(data, n, featureNames.length), featureNames, options);
}

/**
 * fitBaseline on rows read a block at a time (a month spilled to disk as it was encoded): the
 * same moments to rounding (Chan's merge of the blocks' two-pass moments), memory bounded by a
 * block plus, for the robust refit, one distance per row.
 */
export function fitRows(rows: EncodedRows, featureNames: readonly string[], options: ModelOptions = {}): { moments: Moments; model: DetectionModel } {
  if (rows.d !== featureNames.length) throw new RangeError(`Expected ${rows.d} feature names, got ${featureNames.length}.`);
  const sums = new MomentsAccumulator(rows.d);
  rows.forEachBlock((data, count) => sums.add(data, count));
  const moments = sums.moments();
  const model = modelFromMoments(moments, featureNames, options);
  if (!options.robust) return { moments, model };
  const robust = trimmedMomentsOf(rows, model, moments, options.robust);
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
  const correlation = Matrix.from1DArray(k, k, r);
  const l = choleskyFactor(correlation);
  if (l) return { featureNames, n, d, mean, std, kept, droppedFeatures, method: "cholesky", factor: l, rank: k };
  const { factor, rank } = pseudoInverseFactor(correlation);
  return { featureNames, n, d, mean, std, kept, droppedFeatures, method: "pseudo-inverse", factor, rank };
}

/** L (row-major) with R = L Lᵀ, or null when a pivot L_jj² is ≤ MIN_PIVOT × R's largest diagonal entry. */
function choleskyFactor(r: Matrix): Float64Array | null {
  const maxDiag = Math.max(...r.diag());
  const l = new CholeskyDecomposition(r).lowerTriangularMatrix;
  for (let j = 0; j < r.rows; j++) if (!(l.get(j, j) ** 2 > MIN_PIVOT * maxDiag)) return null;
  return Float64Array.from(l.to1DArray());
}

/**
 * W = Λ^-½ Vᵀ over the eigenvalues of R above PINV_RCOND × the largest (so WᵀW is R's
 * pseudo-inverse): rank × k, row-major, eigenvalues descending.
 */
function pseudoInverseFactor(r: Matrix): { factor: Float64Array; rank: number } {
  const k = r.rows;
  const { realEigenvalues: values, eigenvectorMatrix: vectors } = new EigenvalueDecomposition(r, { assumeSymmetric: true });
  const cutoff = PINV_RCOND * Math.max(...values, 0);
  const order = values.map((_, c) => c).filter((c) => values[c]! > cutoff).sort((x, y) => values[y]! - values[x]!);
  const factor = new Float64Array(order.length * k);
  order.forEach((c, row) => {
    for (let a = 0; a < k; a++) factor[row * k + a] = vectors.get(a, c) / Math.sqrt(values[c]!);
  });
  return { factor, rank: order.length };
}
