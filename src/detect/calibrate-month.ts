/**
 * `kansa calibrate`: for each source+tenant with events in a month, the distances of the month's
 * own events from the month's baseline (the baseline used for the following month's reports):
 * percentiles and how many events each candidate threshold would flag per day.
 */
import type { Config } from "../core/config.ts";
import { encodeEvents } from "../encode/encode-events.ts";
import type { FeatureSet } from "../encode/feature-set.ts";
import { ZoneClock } from "../encode/local-time.ts";
import { calibrate, CANDIDATE_THRESHOLDS, type Calibration } from "./calibrate.ts";
import { scoreVectors } from "./score.ts";
import type { Database } from "../store/database.ts";
import { listSourceTenants, loadEncodingEvents, within, type SourceTenant } from "../store/event-queries.ts";
import { ensureBaseline } from "./baseline-service.ts";
import { monthRange, parseMonth } from "../core/calendar.ts";

export interface ScopeCalibration {
  source: string;
  tenant: string;
  featureSet: string;
  n: number;
  available: boolean;
  /** The threshold the report would use with this baseline. */
  threshold: number;
  droppedFeatures: string[];
  calibration: Calibration | null;
  notice?: string;
}

export interface MonthCalibration {
  month: string;
  timezone: string;
  thresholds: number[];
  sources: ScopeCalibration[];
}

/** Calibrate every source+tenant of `month` (YYYY-MM) for each of `featureSets`. */
export async function calibrateMonth(db: Database, config: Config, month: string, featureSets: FeatureSet<unknown>[], only?: readonly SourceTenant[]): Promise<MonthCalibration> {
  parseMonth(month);
  const timezone = config.reportTimezone;
  const range = monthRange(month, timezone);
  const clock = new ZoneClock(timezone);
  const extra = config.anomalyLength;
  const thresholds = [...new Set<number>([...CANDIDATE_THRESHOLDS, ...(extra !== undefined ? [extra] : [])])].sort((a, b) => a - b);
  const sources: ScopeCalibration[] = [];
  for (const scope of within(await listSourceTenants(db, range), only)) {
    const rows = await loadEncodingEvents(db, scope, range, [...new Set(featureSets.flatMap((f) => f.columns))]);
    const days = rows.map((r) => clock.localDate(r.occurredAt.getTime()));
    for (const featureSet of featureSets) {
      const baseline = await ensureBaseline(db, config, { scope, month, featureSet, rows });
      const entry: ScopeCalibration = {
        source: scope.source, tenant: scope.tenant, featureSet: featureSet.name, n: baseline.n, available: baseline.available,
        threshold: baseline.threshold, droppedFeatures: baseline.droppedFeatures, calibration: null,
      };
      if (baseline.available && baseline.model) {
        const { data } = encodeEvents(rows, featureSet, baseline.state, { baseline: true });
        const distances = scoreVectors(baseline.model, data, rows.length);
        const set = [...new Set([...thresholds, baseline.threshold])].sort((a, b) => a - b);
        entry.calibration = calibrate(distances, days, set);
      } else if (baseline.notices[0]) {
        entry.notice = baseline.notices[0];
      }
      sources.push(entry);
    }
  }
  return { month, timezone, thresholds, sources };
}
