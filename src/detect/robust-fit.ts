/**
 * The robust refit: fit once, drop the baseline's own most extreme rows (squared distance beyond
 * the χ²_k quantile, k the features used), and compute the moments again on the rest, so that
 * last month's incidents do not become this month's normal. One reweighting step, like the
 * reweighted MCD's final step; at most `maxTrimmed` of the rows are dropped (the most extreme).
 * The rows are read block by block (encoded-rows.ts): a month need not be held in memory.
 */
import { chiSquareQuantile } from "./chi-square.ts";
import { MomentsAccumulator, type Moments } from "./moments.ts";
import type { DetectionModel } from "./model.ts";
import { scoreRows } from "./score.ts";
import { rowsInMemory, type EncodedRows } from "./encoded-rows.ts";

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
 * Moments of `rows` without the extreme ones according to `model` (fitted on all of them). The
 * returned moments keep `n` = all rows (the baseline's size, as stored), with mean and covariance
 * of the kept rows. Returns the given moments unchanged when nothing is dropped.
 */
export function trimmedMomentsOf(rows: EncodedRows, model: DetectionModel, all: Moments, options: RobustOptions): RobustResult {
  const { n, d } = rows;
  const k = model.method === "pseudo-inverse" ? model.rank : model.kept.length;
  if (k === 0 || n < 3) return { moments: all, trimmed: 0 };
  const cut = Math.sqrt(chiSquareQuantile(k, options.quantile));
  const distances = scoreRows(model, rows);
  const maxTrimmed = Math.floor(n * (options.maxTrimmed ?? 0.05));
  const beyond: number[] = [];
  for (let i = 0; i < n; i++) if (distances[i]! > cut) beyond.push(distances[i]!);
  if (beyond.length === 0) return { moments: all, trimmed: 0 };
  // More beyond the cut than may be dropped: keep the cut at the maxTrimmed-th largest distance
  // instead (the (maxTrimmed + 1)-th largest is among those beyond the cut).
  const limit = beyond.length > maxTrimmed ? Float64Array.from(beyond).sort()[beyond.length - maxTrimmed - 1]! : cut;
  const sums = new MomentsAccumulator(d);
  let kept: Float64Array | null = null;
  rows.forEachBlock((data, count, first) => {
    kept ??= new Float64Array(data.length);
    let m = 0;
    for (let i = 0; i < count; i++) {
      if (distances[first + i]! > limit) continue;
      kept.set(data.subarray(i * d, i * d + d), m * d);
      m++;
    }
    sums.add(kept.subarray(0, m * d), m);
  });
  const m = sums.n;
  if (m < 2 || m === n) return { moments: all, trimmed: 0 };
  return { moments: { ...sums.moments(), n }, trimmed: n - m };
}

/** trimmedMomentsOf for `n` rows of `d` columns held in `data` (row-major). */
export function trimmedMoments(data: Float64Array, n: number, d: number, model: DetectionModel, all: Moments, options: RobustOptions): RobustResult {
  return trimmedMomentsOf(rowsInMemory(data, n, d), model, all, options);
}
