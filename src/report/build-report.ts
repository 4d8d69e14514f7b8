/**
 * The daily report from the store: a thin loader around assembleReport. Finds the source+tenant
 * pairs with events on the reported day or in its baseline month (plus any the caller
 * collected), loads the day's events, gets each baseline (stored, or fitted and stored), and
 * assembles the model.
 */
import type { Config } from "../core/config.ts";
import type { ReportModel } from "../core/report-model.ts";
import { getFeatureSet } from "../encode/registry.ts";
import { configuredSources } from "../sources/registry.ts";
import type { Database } from "../store/database.ts";
import { cursorAgeHours, readCursor } from "../store/cursors.ts";
import { countEvents, listSourceTenants, loadEvents, loadHabitSummaries, loadSeenGroups, type SourceTenant } from "../store/event-queries.ts";
import { ensureBaseline } from "../detect/baseline-service.ts";
import { dayRange, daysBetween, monthDays, monthRange, parseDay, reportedDay } from "../core/calendar.ts";
import { assembleReport, type AssembleInput, type CollectionHealth, type ScopeInput } from "./assemble-report.ts";
import { CRITICAL_WORK } from "./findings/routine.ts";
import { sectionRules } from "./classify.ts";
import { suppressFindings } from "./suppress.ts";
import { listAcknowledgements } from "../store/acknowledgements.ts";
import { now as clockNow } from "../core/clock.ts";
import { pairKey } from "../core/types.ts";

/** Collection counters of one source+tenant, as the daily run measured them. */
export interface SourceCollection extends Partial<CollectionHealth> {
  source: string;
  tenant: string;
}

/** Events per day of `month` (every day, zeros included) for `scope`. */
async function eventsPerDay(db: Database, scope: SourceTenant, month: string, timezone: string): Promise<{ day: string; events: number }[]> {
  const { first, last } = monthDays(month);
  const days = daysBetween(first, last);
  const counts = await countEvents(db, scope, days.map((day) => dayRange(day, timezone)));
  return days.map((day, i) => ({ day, events: counts[i]! }));
}

export interface BuildReportOptions {
  /** What the daily run collected per source+tenant; absent: zeros and the cursor age from the store. */
  collection?: SourceCollection[];
  /** Feature set for outliers (default: FEATURE_SET). */
  featureSet?: string;
  /** The report's generation time (default: now); cursor ages are measured to it. */
  now?: Date;
  /** Extra sentences for the report (a failed source...). */
  notices?: string[];
  /**
   * The organisation reported on (KANSA_CONFIG): the report covers only its `scopes` (its
   * instances, which organisationScope claims first, and the tenants it imported) and names it;
   * `instances` are its configured ones. Absent: every stored pair.
   */
  organisation?: { name: string; scopes: readonly SourceTenant[]; instances: readonly SourceTenant[] };
}

const key = pairKey;

/**
 * Everything assembleReport needs for the run of `today` (YYYY-MM-DD, report time zone): the
 * reported day is the day before, the baseline month the calendar month before that day's.
 */
export async function loadReportInput(db: Database, config: Config, today: string, options: BuildReportOptions = {}): Promise<AssembleInput> {
  parseDay(today);
  const timezone = config.reportTimezone;
  const now = options.now ?? clockNow();
  const { day, baselineMonth } = reportedDay(today);
  const featureSet = getFeatureSet(options.featureSet ?? config.featureSet);
  const range = dayRange(day, timezone);
  const scopes = new Map<string, SourceTenant>();
  const own = options.organisation ? new Set(options.organisation.scopes.map(key)) : null;
  for (const s of [...(await listSourceTenants(db, range)), ...(await listSourceTenants(db, monthRange(baselineMonth, timezone))), ...(options.collection ?? [])]) {
    if (own && !own.has(key(s))) continue; // another organisation's
    if (!scopes.has(key(s))) scopes.set(key(s), { source: s.source, tenant: s.tenant });
  }
  const collected = new Map((options.collection ?? []).map((c) => [key(c), c]));
  const configured = new Set(
    options.organisation ? options.organisation.instances.map(key) : configuredSources(config).map((s) => key({ source: s.name, tenant: s.tenant })),
  );
  const inputs: ScopeInput[] = [];
  for (const scope of [...scopes.values()].sort((a, b) => key(a).localeCompare(key(b)))) {
    const events = await loadEvents(db, scope, range);
    const baseline = await ensureBaseline(db, config, { scope, month: baselineMonth, featureSet, day });
    const c = collected.get(key(scope));
    const health: CollectionHealth = {
      collected: c?.collected ?? 0,
      stored: c?.stored ?? 0,
      duplicates: c?.duplicates ?? 0,
      rejected: c?.rejected ?? 0,
      errors: c?.errors ?? [],
      cursorAgeHours: c?.cursorAgeHours !== undefined ? c.cursorAgeHours : cursorAgeHours(await readCursor(db, scope.source, scope.tenant), now),
      warnings: c?.warnings ?? [],
      gaps: c?.gaps ?? [],
    };
    const baselineDays = baseline.available ? await eventsPerDay(db, scope, baselineMonth, timezone) : [];
    // Routine is recognised in critical work, exports and logins: what those accounts did last month.
    const accounts = new Set(events.filter((e) => e.isCritical || e.isExport || e.isLogin || e.isFailedLogin).map((e) => e.account));
    const pairs = new Map<string, { account: string; action: string }>();
    for (const e of events) if (accounts.has(e.account)) pairs.set(`${e.account.trim().toLowerCase()}\u0000${e.action}`, { account: e.account, action: e.action });
    const habitSummaries = await loadHabitSummaries(db, scope, monthRange(baselineMonth, timezone), timezone, [...accounts], [...pairs.values()], CRITICAL_WORK);
    // What the day's accounts showed on the days of this month before the reported day (findings/novelty.ts).
    const monthSoFar = { from: dayRange(`${day.slice(0, 7)}-01`, timezone).from, to: range.from };
    const seen = (await loadSeenGroups(db, scope, monthSoFar, [...new Set(events.map((e) => e.account))])).map((g) => ({ ...g, source: scope.source, tenant: scope.tenant }));
    inputs.push({ scope, events, baseline, health, configured: c !== undefined || configured.has(key(scope)), baselineDays, habitSummaries, seen });
  }
  return { day, baselineMonth, timezone, generatedAt: now, scopes: inputs, notices: options.notices ?? [] };
}

/**
 * The report model of the run of `today` (YYYY-MM-DD in REPORT_TIMEZONE; the reported day is
 * the day before). Fits and stores missing or stale baselines as a side effect.
 */
export async function buildReport(db: Database, config: Config, today: string, options: BuildReportOptions = {}): Promise<ReportModel> {
  const input = await loadReportInput(db, config, today, options);
  const featureSet = getFeatureSet(options.featureSet ?? config.featureSet);
  const model = assembleReport(input, {
    rules: sectionRules(config),
    sectionLimit: config.reportSectionLimit,
    featureSet: featureSet.name,
    anomalyLength: config.anomalyLength ?? featureSet.defaultThreshold(new Float64Array(0), config),
    thresholdSource: config.anomalyLength === undefined ? "baseline" : "setting",
    lang: config.reportLang,
    minBaselineEvents: config.minBaselineEvents,
    config,
  });
  // The allow-list and the acknowledgements make findings expected: counted, not listed.
  const suppressed = suppressFindings(model.findings ?? [], config.allowList, await listAcknowledgements(db));
  return {
    ...(options.organisation ? { organisation: options.organisation.name } : {}),
    ...model,
    findings: suppressed.findings,
    suppression: suppressed.summary,
  };
}
