/**
 * Where a distance stands among the baseline month's own distances: the share of them below it
 * ("rarer than 99.97% of last month"). A month's distances are kept as a sketch stored with the
 * baseline: its largest TAIL distances exactly (the tail is where outliers are), and a grid of
 * quantiles for the rest. Bounded size whatever the month's size.
 */

/** Distances kept exactly: the month's largest. */
const TAIL = 1000;
/** Quantiles kept below the tail (every 0.1%). */
const GRID = 1000;

export interface DistanceSketch {
  /** Distances of the month. */
  n: number;
  /** The largest min(n, TAIL) distances, ascending. */
  tail: number[];
  /** Quantiles q(i / GRID), i = 0..GRID, of all the month's distances. */
  grid: number[];
}

/** The sketch of the month's distances, given sorted ascending. */
export function sketchDistances(sorted: Float64Array): DistanceSketch {
  const n = sorted.length;
  const tail = Array.from(sorted.subarray(Math.max(0, n - TAIL)));
  const grid: number[] = [];
  if (n > 0) for (let i = 0; i <= GRID; i++) grid.push(sorted[Math.min(n - 1, Math.floor((i / GRID) * (n - 1)))]!);
  return { n, tail, grid };
}

/** The sketch as stored, or null when `value` is not one (a baseline stored by an older kansa). */
export function sketchFrom(value: unknown): DistanceSketch | null {
  if (typeof value !== "object" || value === null) return null;
  const { n, tail, grid } = value as Record<string, unknown>;
  if (typeof n !== "number" || !Array.isArray(tail) || !Array.isArray(grid)) return null;
  if (!tail.every((v) => typeof v === "number") || !grid.every((v) => typeof v === "number")) return null;
  return { n, tail: tail as number[], grid: grid as number[] };
}

/** Count of values in the ascending `values` strictly below `d`. */
function countBelow(values: readonly number[], d: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The share (0..1) of the month's distances strictly below `d`: exact within the tail, from the
 * quantile grid below it. 1 when `d` exceeds every distance of the month.
 */
export function percentileOf(sketch: DistanceSketch, d: number): number {
  const { n, tail, grid } = sketch;
  if (n === 0) return 0;
  const below = n - tail.length;
  if (tail.length > 0 && d > tail[0]!) return (below + countBelow(tail, d)) / n;
  if (tail.length === n) return countBelow(tail, d) / n;
  // Below the tail: the grid's share, at most the tail's start.
  return Math.min(below, (countBelow(grid, d) / grid.length) * n) / n;
}
