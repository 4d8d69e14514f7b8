/** Thresholds chosen from a baseline's own distances. */

/** Threshold used when there are no distances to choose from (the classic default). */
export const FALLBACK_THRESHOLD = 10;

/**
 * The smallest of the ascending `sorted` distances such that at most `fpr` of them lie strictly
 * above it: sorted[⌈n(1 − fpr)⌉ − 1] (the empirical 1 − fpr quantile). An outlier is an event
 * whose distance exceeds it, so on the baseline itself at most ⌊n·fpr⌋ events are flagged (fewer
 * with ties). FALLBACK_THRESHOLD when there are no distances.
 *
 * `minAbove` raises the rate to minAbove / n when n·fpr is smaller: the 99.9% quantile of a
 * 1,200-event month is its second strangest event, which says more about last month's one odd
 * event (often an incident or a typo itself) than about the tail, and it set a small source's
 * thresholds two or three times above what new addresses and machine credentials reached. With
 * minAbove events above it the threshold rests on a tail that is actually observed.
 */
export function quantileThreshold(sorted: Float64Array, fpr: number, minAbove = 0): number {
  const n = sorted.length;
  if (n === 0) return FALLBACK_THRESHOLD;
  const rate = Math.max(fpr, minAbove / n);
  const index = Math.min(n - 1, Math.max(0, Math.ceil(n * (1 - rate)) - 1));
  return sorted[index]!;
}
