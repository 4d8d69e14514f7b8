/**
 * Calibration of a threshold on a baseline month's own distances: percentiles of the
 * distribution, and how many events each candidate threshold would flag per day.
 */

export const CALIBRATION_PERCENTILES = [50, 90, 99, 99.9] as const;
export const CANDIDATE_THRESHOLDS = [3, 5, 10, 20] as const;

export interface ThresholdCount {
  threshold: number;
  /** Events of the month above the threshold. */
  flagged: number;
  /** Mean flagged per day over the days that had events. */
  perDayAverage: number;
  perDayMax: number;
  /** Flagged count per day (YYYY-MM-DD), every day with events listed. */
  perDay: Record<string, number>;
}

export interface Calibration {
  n: number;
  percentiles: { p50: number; p90: number; p99: number; p999: number; max: number };
  thresholds: ThresholdCount[];
}

/**
 * The p-th percentile (0..100) of ascending `sorted` values with linear interpolation between
 * closest ranks (numpy's default "linear" method). 0 for an empty array.
 */
export function percentile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/**
 * Calibrate on `distances` with `days[i]` the report-zone day of event i. `thresholds`
 * default to 3, 5, 10 and 20 (plus any extra, e.g. the configured ANOMALY_LENGTH).
 */
export function calibrate(distances: Float64Array, days: readonly string[], thresholds: readonly number[] = CANDIDATE_THRESHOLDS): Calibration {
  const sorted = Float64Array.from(distances).sort();
  const dayList = [...new Set(days)].sort();
  const counts = thresholds.map((threshold) => {
    const perDay: Record<string, number> = Object.fromEntries(dayList.map((day) => [day, 0]));
    let flagged = 0;
    for (let i = 0; i < distances.length; i++) {
      if (distances[i]! > threshold) {
        flagged++;
        const day = days[i]!;
        perDay[day] = (perDay[day] ?? 0) + 1;
      }
    }
    const values = Object.values(perDay);
    return {
      threshold,
      flagged,
      perDayAverage: dayList.length ? flagged / dayList.length : 0,
      perDayMax: values.length ? Math.max(...values) : 0,
      perDay,
    };
  });
  return {
    n: distances.length,
    percentiles: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      p999: percentile(sorted, 99.9),
      max: sorted.length ? sorted[sorted.length - 1]! : 0,
    },
    thresholds: counts,
  };
}
