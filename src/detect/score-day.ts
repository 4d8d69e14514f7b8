/** `kansa score`: every event of the reported day with its distance, for checking and tuning. */
import type { Config } from "../core/config.ts";
import type { ReportEvent } from "../core/report-model.ts";
import { encodeEvents } from "../encode/encode-events.ts";
import { getFeatureSet } from "../encode/registry.ts";
import { scoreVectors } from "./score.ts";
import type { Database } from "../store/database.ts";
import { listSourceTenants, loadEvents, within, type SourceTenant } from "../store/event-queries.ts";
import { ensureBaseline } from "./baseline-service.ts";
import { dayRange, formatInstant, parseDay, reportedDay } from "../core/calendar.ts";

/** An event of the day as the report lists it (occurredAt in the report zone), with its distance. */
export interface ScoredEvent extends Pick<ReportEvent, "source" | "tenant" | "externalId" | "occurredAt" | "account" | "action" | "ip" | "appId"> {
  featureSet: string;
  baselineMonth: string;
  /** Plain Mahalanobis distance; null when the source has no baseline, and then `reason` says why. */
  distance: number | null;
  /** Why `distance` is null (the baseline month has too few events) and the command that fixes it. */
  reason?: string;
  threshold: number;
  outlier: boolean;
  /** The encoded vector, by feature name. */
  vector: Record<string, number>;
}

export interface ScoredDay {
  events: ScoredEvent[];
  /** One sentence per source and tenant whose events have no distance (no baseline), with the fix. */
  warnings: string[];
}

/**
 * Score every event of the day before `today` with `featureSetName` (default FEATURE_SET), oldest
 * first per source; with `only`, of those source+tenant pairs alone (an organisation's).
 */
export async function scoreDay(db: Database, config: Config, today: string, featureSetName?: string, only?: readonly SourceTenant[]): Promise<ScoredDay> {
  parseDay(today);
  const featureSet = getFeatureSet(featureSetName ?? config.featureSet);
  const timezone = config.reportTimezone;
  const { day, baselineMonth } = reportedDay(today);
  const range = dayRange(day, timezone);
  const out: ScoredEvent[] = [];
  const warnings: string[] = [];
  for (const scope of within(await listSourceTenants(db, range), only)) {
    const events = await loadEvents(db, scope, range);
    const baseline = await ensureBaseline(db, config, { scope, month: baselineMonth, featureSet, day });
    const state = baseline.available ? baseline.state : featureSet.fit([], { timezone, source: scope.source, tenant: scope.tenant, month: baselineMonth, config });
    const { data, d } = encodeEvents(events, featureSet, state);
    const distances = baseline.model ? scoreVectors(baseline.model, data, events.length) : null;
    const reason = distances ? undefined : baseline.notices[0] ?? `No baseline for ${scope.source} ${scope.tenant} in ${baselineMonth}.`;
    if (reason !== undefined && events.length > 0) warnings.push(reason);
    events.forEach((event, i) => {
      const distance = distances ? distances[i]! : null;
      const vector: Record<string, number> = {};
      featureSet.featureNames.forEach((name, j) => (vector[name] = data[i * d + j]!));
      out.push({
        source: event.source, tenant: event.tenant, externalId: event.externalId,
        occurredAt: formatInstant(event.occurredAt, timezone), account: event.account, action: event.action, ip: event.ip, appId: event.appId,
        featureSet: featureSet.name, baselineMonth, distance, threshold: baseline.threshold,
        outlier: distance !== null && distance > baseline.threshold, vector,
        ...(reason !== undefined ? { reason } : {}),
      });
    });
  }
  return { events: out, warnings };
}
