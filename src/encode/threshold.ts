/** Thresholds chosen from a baseline's own distances. */

/** Threshold used when there are no distances to choose from (the classic default). */
export const FALLBACK_THRESHOLD = 10;

/**
 * The smallest of the ascending `sorted` distances such that at most `fpr` of them lie strictly
 * above it: sorted[⌈n(1 − fpr)⌉ − 1] (the empirical 1 − fpr quantile). An outlier is an event
 * whose distance exceeds it, so on the baseline itself at most ⌊n·fpr⌋ events are flagged (fewer
 * with ties). FALLBACK_THRESHOLD when there are no distances.
 */
export function quantileThreshold(sorted: Float64Array, fpr: number): number {
  const n = sorted.length;
  if (n === 0) return FALLBACK_THRESHOLD;
  const index = Math.min(n - 1, Math.max(0, Math.ceil(n * (1 - fpr)) - 1));
  return sorted[index]!;
}
