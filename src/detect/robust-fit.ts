/**
 * The robust refit: fit once, drop the baseline's own most extreme rows (squared distance beyond
 * the χ²_k quantile, k the features used), and compute the moments again on the rest, so that
 * last month's incidents do not become this month's normal. One reweighting step, like the
 * reweighted MCD's final step; at most `maxTrimmed` of the rows are dropped (the most extreme).
 */
import { chiSquareQuantile } from "./chi-square.ts";
import { computeMoments, type Moments } from "./moments.ts";
import type { DetectionModel } from "./model.ts";
import { scoreVectors } from "./score.ts";

export interface RobustOptions {
  /** Rows whose squared distance exceeds the χ²_k quantile at this probability are dropped (e.g. 0.975). */
  quantile: number;
  /** Largest share of rows dropped (default 0.05): beyond it, only the most extreme are. */
  maxTrimmed?: number;
}

export interface RobustResult {
  moments: Moments;
  /** Rows dropped from the refit. */
  trimmed: number;
}

/**
 * Moments of `data` (n rows × d) without its extreme rows according to `model` (fitted on all of
 * them). The returned moments keep `n` = all rows (the baseline's size, as stored), with mean and
 * covariance of the kept rows. Returns the given moments unchanged when nothing is dropped.
 */
export function trimmedMoments(data: Float64Array, n: number, d: number, model: DetectionModel, all: Moments, options: RobustOptions): RobustResult {
  const k = model.method === "pseudo-inverse" ? model.rank : model.kept.length;
  if (k === 0 || n < 3) return { moments: all, trimmed: 0 };
  const cut = Math.sqrt(chiSquareQuantile(k, options.quantile));
  const distances = scoreVectors(model, data, n);
  const maxTrimmed = Math.floor(n * (options.maxTrimmed ?? 0.05));
  let limit = cut;
  let over = 0;
  for (let i = 0; i < n; i++) if (distances[i]! > cut) over++;
  if (over === 0) return { moments: all, trimmed: 0 };
  if (over > maxTrimmed) {
    // Keep the cut at the maxTrimmed-th largest distance instead.
    const sorted = Float64Array.from(distances).sort();
    limit = sorted[n - maxTrimmed - 1]!;
  }
  const kept = new Float64Array(n * d);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (distances[i]! > limit) continue;
    kept.set(data.subarray(i * d, i * d + d), m * d);
    m++;
  }
  if (m < 2 || m === n) return { moments: all, trimmed: 0 };
  const moments = computeMoments(kept.subarray(0, m * d), m, d);
  return { moments: { ...moments, n }, trimmed: n - m };
}
