/**
 * The report model from loaded data, without I/O: the day's events of each source+tenant, each
 * scope's baseline, and the collection counters. Encodes and scores the day's events against
 * their baseline, sorts events into the sections, caps each section, and builds the histogram.
 */
import type { Alarm, BaselineInfo, HistogramBin, OutlierEvent, ReportEvent, ReportModel, Section, SourceHealth, ThresholdSource } from "../core/report-model.ts";
import type { CollectStats } from "../core/types.ts";
import { encodeEvents } from "../encode/encode-events.ts";
import { isUnparsableIp } from "../core/ip-address.ts";
import { sourceEntry } from "../sources/registry.ts";
import { ZoneClock } from "../encode/local-time.ts";
import { contributions, scoreVectors } from "../detect/score.ts";
import type { EventRow, SourceTenant } from "../store/event-queries.ts";
import type { LoadedBaseline } from "../detect/baseline-service.ts";
import { dayRange, daysInMonth } from "../core/calendar.ts";
import type { SectionRules } from "./classify.ts";
import { buildAlarms } from "./alarms.ts";
import type { Config } from "../core/config.ts";
import { loadConfig } from "../sources/config.ts";
import { buildFindings, type DayEvent } from "./findings/build-findings.ts";
import { dayEventsOf, toReportEvent, type ScoredDay } from "./findings/day-events.ts";
import { seenSoFar, type SeenRow } from "./findings/novelty.ts";
import { actionHabits, addHabitSummaries, countToday, type HabitRow, type HabitSummaryRow } from "./findings/routine.ts";

/** What the caller knows of a source's collection this run (zeros when reporting from the store). */
export interface CollectionHealth extends CollectStats {
  errors: string[];
  cursorAgeHours: number | null;
  warnings?: string[];
  /** Sentences on entries the source may have lost (its own retention ran out between pulls). */
  gaps?: string[];
}

export interface ScopeInput {
  scope: SourceTenant;
  /** The reported day's events of this scope, oldest first. */
  events: EventRow[];
  baseline: LoadedBaseline;
  health: CollectionHealth;
  /** The source is configured (this run collected it); false when its events came from files. */
  configured?: boolean;
  /** Events per day of the baseline month, zeros included (for source-silent); absent: unknown. */
  baselineDays?: { day: string; events: number }[];
  /** What the day's accounts did in the baseline month (rows), for routine recognition; absent: none is routine. */
  habits?: HabitRow[];
  /** The same summarised by the store (one row per account and action); joins `habits`. */
  habitSummaries?: { habits: HabitSummaryRow[]; accountHours: { account: string; hours: number[] }[] };
  /** What the day's accounts did on the days of this month before the reported day (grouped rows), for novelty; absent: nothing. */
  seen?: SeenRow[];
}

export interface AssembleInput {
  day: string;
  baselineMonth: string;
  timezone: string;
  generatedAt: Date;
  scopes: ScopeInput[];
  /** Notices from the caller (collection failures...). */
  notices?: string[];
}

export interface AssembleSettings {
  rules: SectionRules;
  sectionLimit: number;
  featureSet: string;
  /** The threshold shown in settings (ANOMALY_LENGTH, or the feature set's default). */
  anomalyLength: number;
  thresholdSource?: ThresholdSource;
  lang?: string;
  /** MIN_BASELINE_EVENTS, named in baseline-missing alarms. */
  minBaselineEvents?: number;
  /** The configuration (severity catalogues, TARGET_FPR); absent: the defaults. */
  config?: Config;
}

function section<T>(items: T[], limit: number): Section<T> {
  return { total: items.length, items: items.slice(0, limit), omitted: Math.max(0, items.length - limit) };
}

interface Timed { at: number; seq: number }

/** Scores of one scope's day: distances (null without a baseline) and outliers above the threshold. */
export function scoreScope(input: ScopeInput, timezone: string): { distances: Float64Array | null; outliers: (OutlierEvent & Timed)[]; scored: ScoredDay | null } {
  const { baseline, events } = input;
  if (!baseline.available || !baseline.model || events.length === 0) return { distances: null, outliers: [], scored: null };
  const featureSet = baseline.featureSet;
  const { data, d } = encodeEvents(events, featureSet, baseline.state);
  const distances = scoreVectors(baseline.model, data, events.length);
  const outliers: (OutlierEvent & Timed)[] = [];
  for (let i = 0; i < events.length; i++) {
    const distance = distances[i]!;
    if (!(distance > baseline.threshold)) continue;
    const event = events[i]!;
    const outlier: OutlierEvent & Timed = {
      ...toReportEvent(event, timezone),
      distance,
      featureSet: featureSet.name,
      contributions: contributions(baseline.model, data, i * d).map((c) => ({ feature: c.feature, share: c.share })),
      at: event.occurredAt.getTime(),
      seq: i,
    };
    if (featureSet.explain) outlier.explanations = featureSet.explain(event, baseline.state, data, i * d);
    if (featureSet.describeAccount) outlier.accountProfile = featureSet.describeAccount(event, baseline.state);
    outliers.push(outlier);
  }
  const scored: ScoredDay = { featureSet, state: baseline.state, data, d, distances, threshold: baseline.threshold, model: baseline.model, ...(baseline.distances ? { sketch: baseline.distances } : {}), seen: seenSoFar(input.seen ?? []) };
  return { distances, outliers, scored };
}

const byTime = (a: Timed, b: Timed) => a.at - b.at || a.seq - b.seq;

function strip<T extends Timed>(items: T[]): Omit<T, keyof Timed>[] {
  return items.map(({ at: _at, seq: _seq, ...rest }) => rest);
}

/** Build the report model from loaded data. Pure: same input, same model. */
export function assembleReport(input: AssembleInput, settings: AssembleSettings): ReportModel {
  const { timezone } = input;
  const clock = new ZoneClock(timezone);
  const exports: (ReportEvent & Timed)[] = [];
  const critical: (ReportEvent & Timed)[] = [];
  const lateLogins: (ReportEvent & Timed)[] = [];
  const lateFailed: (ReportEvent & Timed)[] = [];
  const outliers: (OutlierEvent & Timed)[] = [];
  const sources: SourceHealth[] = [];
  const baselines: BaselineInfo[] = [];
  const dayHourly = new Array<number>(24).fill(0);
  const baselineHourly = new Array<number>(24).fill(0);
  const notices: string[] = [...(input.notices ?? [])];
  let totalEvents = 0;
  let seq = 0;
  const config = settings.config ?? loadConfig({});
  const dayEvents: DayEvent[] = [];
  const habits: HabitRow[] = [];

  for (const scopeInput of input.scopes) {
    const { scope, events, baseline, health } = scopeInput;
    let unparsable = 0;
    // Actions the source's table does not know (stored, shown as their code), for its health.
    const knowsAction = sourceEntry(scope.source)?.isKnownAction;
    let unknownActions = 0;
    const scored = scoreScope(scopeInput, timezone);
    for (const outlier of scored.outliers) outliers.push(outlier);
    // Each event classified once: the sections read the flags and late-night kind its day event carries.
    const scopeDayEvents = dayEventsOf(events, scored.scored, { ...config, reportTimezone: timezone }, settings.rules, clock);
    for (const dayEvent of scopeDayEvents) dayEvents.push(dayEvent);
    events.forEach((event, i) => {
      const { flags, late, listed } = scopeDayEvents[i]!;
      const at = event.occurredAt.getTime();
      const timed = () => ({ ...listed, at, seq: seq++ });
      if (flags.isExport) exports.push(timed());
      if (flags.isCritical) critical.push(timed());
      if (late === "login") lateLogins.push(timed());
      else if (late === "failed") lateFailed.push(timed());
      if (isUnparsableIp(event.ipParsed, event.ip)) unparsable++;
      if (knowsAction && !knowsAction(event.action)) unknownActions++;
      dayHourly[clock.hour(at)]! += 1;
    });
    totalEvents += events.length;
    for (const habit of scopeInput.habits ?? []) habits.push(habit);
    for (let h = 0; h < 24; h++) baselineHourly[h]! += baseline.hourly[h] ?? 0;

    sources.push({
      source: scope.source,
      tenant: scope.tenant,
      collected: health.collected,
      stored: health.stored,
      duplicates: health.duplicates,
      rejected: health.rejected,
      errors: [...health.errors],
      cursorAgeHours: health.cursorAgeHours,
      eventsThatDay: events.length,
      unparsableIps: unparsable,
      ...(knowsAction ? { unknownActions } : {}),
      warnings: [...(health.warnings ?? [])],
      droppedFeatures: [...baseline.droppedFeatures],
    });
    const info: BaselineInfo = {
      source: scope.source,
      tenant: scope.tenant,
      month: baseline.month,
      n: baseline.n,
      featureSet: baseline.featureSet.name,
      droppedFeatures: [...baseline.droppedFeatures],
      available: baseline.available,
      threshold: baseline.threshold,
      accounts: baseline.accounts,
    };
    if (baseline.model) info.method = baseline.model.method;
    if (baseline.computedAt) info.computedAt = baseline.computedAt.toISOString();
    if (!baseline.available && baseline.notices[0]) info.notice = baseline.notices[0];
    baselines.push(info);
    // A missing baseline is a baseline-missing alarm; the rest (degenerate months) are notices.
    if (baseline.available) notices.push(...baseline.notices);
    if (events.length > 0 && unparsable > 0 && baseline.featureSet.name === "classic") {
      notices.push(`${scope.source} ${scope.tenant}: ${unparsable} event(s) of ${input.day} have an address that is not IPv4; the classic vector encodes it as 0.`);
    }
  }

  const alarms: Alarm[] = buildAlarms(
    input.day,
    input.scopes.map((s) => ({
      scope: s.scope,
      configured: s.configured ?? false,
      eventsThatDay: s.events.length,
      baseline: { available: s.baseline.available, month: s.baseline.month, n: s.baseline.n },
      baselineDays: s.baselineDays ?? [],
      errors: s.health.errors,
      gaps: s.health.gaps ?? [],
    })),
    settings.minBaselineEvents ?? 100,
    input.generatedAt >= dayRange(input.day, timezone).to,
  );

  if (input.scopes.length === 0) {
    notices.unshift(`Nothing is stored for ${input.day} or ${input.baselineMonth}: configure a source, or load files with \`kansa import\`.`);
  } else if (totalEvents === 0) {
    notices.unshift(`No events were stored for ${input.day} (${timezone}).`);
  }

  exports.sort(byTime);
  critical.sort(byTime);
  lateLogins.sort(byTime);
  lateFailed.sort(byTime);
  outliers.sort((a, b) => b.distance - a.distance || byTime(a, b));
  const limit = settings.sectionLimit;
  const days = daysInMonth(input.baselineMonth);
  const histogram: HistogramBin[] = dayHourly.map((count, hour) => ({ hour, day: count, baselineAverage: baselineHourly[hour]! / days }));

  const history = actionHabits(habits, timezone);
  for (const scopeInput of input.scopes) if (scopeInput.habitSummaries) addHabitSummaries(history, scopeInput.scope, scopeInput.habitSummaries);
  const findings = buildFindings({
    day: input.day,
    baselineMonth: input.baselineMonth,
    lateNightWindow: settings.rules.lateNightWindow.text,
    events: dayEvents,
    routine: { ...history, today: countToday(dayEvents) },
  });

  return {
    day: input.day,
    timezone,
    generatedAt: input.generatedAt.toISOString(),
    sources,
    baselines,
    alarms,
    sections: {
      exports: section(strip(exports), limit),
      critical: section(strip(critical), limit),
      lateNight: { ...section(strip(lateLogins), limit), failed: section(strip(lateFailed), limit) },
      outliers: section(strip(outliers), limit),
    },
    histogram,
    settings: {
      anomalyLength: settings.anomalyLength,
      featureSet: settings.featureSet,
      lateNightWindow: settings.rules.lateNightWindow.text,
      ...(settings.thresholdSource ? { thresholdSource: settings.thresholdSource } : {}),
      ...(settings.lang ? { lang: settings.lang } : {}),
    },
    baselineMonth: input.baselineMonth,
    totalEvents,
    notices,
    findings,
  };
}
