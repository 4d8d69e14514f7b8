/**
 * The detection evaluation (issue 9), in memory: generate a realistic month and the month after
 * it with labelled anomalies injected into the second (src/tools/generator), normalise every
 * record through src/normalize, fit each feature set on the first month per source+tenant exactly
 * as a stored baseline is fitted (state, encoding, moments with the set's model options, default
 * threshold or ANOMALY_LENGTH), score the second month day by day as the daily report does, and
 * measure per anomaly kind:
 * - ROC AUC: anomalies of that kind against every ordinary event of the second month (the
 *   labelled routine ones included). Scopes (console, Auth0) have their own thresholds, so the
 *   score compared is distance / threshold, the quantity the report's rule looks at.
 * - recall at the configured threshold, and over all ordinary events the false-positive rate;
 * - how many routine critical events (admins' Notice work, heavy exporters, the nightly sync) were flagged.
 */
import type { Config } from "../src/core/config.ts";
import type { AuditEvent } from "../src/core/types.ts";
import type { ConsoleRow } from "../src/sources/kintone/console-csv/read-console-csv.ts";
import { ANOMALY_KINDS, ROUTINE_KINDS, generateDataset, labelKeyForConsole, type AnomalyLabel } from "../src/tools/generator/index.ts";
import { encodeEvents } from "../src/encode/encode-events.ts";
import type { FeatureSet, FitContext } from "../src/encode/feature-set.ts";
import { ZoneClock } from "../src/encode/local-time.ts";
import { fitBaseline } from "../src/detect/model.ts";
import { scoreVectors } from "../src/detect/score.ts";
import { normalizeAuth0Event } from "../src/sources/auth0/normalize.ts";
import { normalizeConsoleRow } from "../src/sources/kintone/normalize.ts";
import { sketchDistances } from "../src/detect/distance-percentile.ts";
import { sectionRules } from "../src/report/classify.ts";
import { buildFindings, type DayEvent } from "../src/report/findings/build-findings.ts";
import { dayEventsOf } from "../src/report/findings/day-events.ts";
import { keysOf } from "../src/report/findings/novelty.ts";
import { addressKey } from "../src/encode/profile-window.ts";
import { actionHabits, countToday, type ActionHabit } from "../src/report/findings/routine.ts";

export interface EvaluationOptions {
  config: Config;
  featureSets: FeatureSet<unknown>[];
  seed?: number;
  people?: number;
  /** The baseline month, YYYY-MM (the next month is scored). Default 2026-09. */
  month?: string;
  consolePerDay?: number;
  auth0PerDay?: number;
  perKind?: number;
  routinePerKind?: number;
  burstSize?: number;
}

export interface KindResult {
  kind: string;
  /** Labelled events of the kind in the scored month. */
  events: number;
  auc: number;
  recall: number;
}

export interface RoutineResult {
  kind: string;
  events: number;
  flagged: number;
}

/** How the day's findings (issue 23) hold the injected anomalies, and what else they hold. */
export interface FindingsResult {
  /** Share of the injected anomalous events inside a finding. */
  anomaliesInFindings: number;
  /** Per kind: share of its events inside a finding. */
  kinds: Record<string, number>;
  /** Findings with no injected anomaly and no critical, export or late-night event ("noise"): the most on one day, and per day on average. */
  noisePerDayMax: number;
  noisePerDayMean: number;
  /** Days with more than one such finding, and days measured. */
  noiseDaysOverOne: number;
  days: number;
  /** Findings per day on average, by severity. */
  perDay: Record<"high" | "medium" | "low", number>;
  /** Routine-labelled events inside a high or medium finding (must be 0). */
  routineInHighOrMedium: number;
  /** Injected anomalies inside a routine finding (told as the account's usual work). */
  anomaliesCalledRoutine: number;
  /** Outlier events without any reason in words (must be 0). */
  outliersWithoutReason: number;
}

export interface FeatureSetResult {
  featureSet: string;
  /** Threshold per scope (source tenant). */
  thresholds: Record<string, number>;
  ordinaryEvents: number;
  ordinaryFlagged: number;
  falsePositiveRate: number;
  anomalousEvents: number;
  recall: number;
  kinds: KindResult[];
  routine: RoutineResult[];
  findings: FindingsResult;
}

export interface EvaluationResult {
  seed: number;
  baselineMonth: string;
  scoredMonth: string;
  baselineEvents: number;
  scoredEvents: number;
  targetFpr: number;
  anomalyLength: number | null;
  featureSets: FeatureSetResult[];
}

/** ROC AUC of positives against negatives (Mann–Whitney U, ties counted half). */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  const all = [...positives.map((s) => ({ s, p: 1 })), ...negatives.map((s) => ({ s, p: 0 }))].sort((a, b) => a.s - b.s);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]!.p === 1) rankSum += rank;
    i = j;
  }
  const np = positives.length;
  return (rankSum - (np * (np + 1)) / 2) / (np * negatives.length);
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

function lastDay(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export interface Labelled {
  event: AuditEvent;
  label: AnomalyLabel | null;
}

/** The evaluation's generated months (baseline and scored), normalised and labelled, oldest first. */
export function evaluationEvents(options: EvaluationOptions): { events: Labelled[]; baselineMonth: string; scoredMonth: string; seed: number } {
  const { config } = options;
  const seed = options.seed ?? 7;
  const baselineMonth = options.month ?? "2026-09";
  const scoredMonth = nextMonth(baselineMonth);
  const data = generateDataset({
    seed, people: options.people, from: `${baselineMonth}-01`, to: lastDay(scoredMonth), timezone: config.reportTimezone,
    consolePerDay: options.consolePerDay, auth0PerDay: options.auth0PerDay,
    anomalies: { perKind: options.perKind, routinePerKind: options.routinePerKind, burstSize: options.burstSize },
  });
  const normalizeOptions = { ...config, consoleTimezone: data.organisation.timezone };
  const labels = new Map(data.labels.map((l) => [l.key, l]));
  const events: Labelled[] = [];
  const ordinals = new Map<string, number>();
  data.consoleRows.forEach((row, i) => {
    const same = Object.values(row.cells).join("\u0000");
    const ordinal = ordinals.get(same) ?? 0;
    ordinals.set(same, ordinal + 1);
    const consoleRow: ConsoleRow = { line: i + 2, cells: { ...row.cells }, ordinal };
    const result = normalizeConsoleRow(consoleRow, data.organisation.consoleHost, "generated", normalizeOptions);
    if (result.ok) events.push({ event: result.event, label: labels.get(labelKeyForConsole(row.cells)) ?? null });
  });
  for (const record of data.auth0Events) {
    const result = normalizeAuth0Event(record, data.organisation.auth0Domain, record.log_id, normalizeOptions);
    if (result.ok) events.push({ event: result.event, label: labels.get(`auth0|${record.log_id}`) ?? null });
  }
  events.sort((a, b) => a.event.occurredAt.getTime() - b.event.occurredAt.getTime());
  return { events, baselineMonth, scoredMonth, seed };
}

/** Generate, normalise, fit, score and measure (see the module comment). */
export function evaluateDetection(options: EvaluationOptions): EvaluationResult {
  const { config } = options;
  const { events, baselineMonth, scoredMonth, seed } = evaluationEvents(options);

  const clock = new ZoneClock(config.reportTimezone);
  const rules = sectionRules(config);
  const labelOf = new Map(events.map((e) => [eventKey(e.event), e.label]));
  const monthOf = (e: AuditEvent) => clock.localDate(e.occurredAt.getTime()).slice(0, 7);
  const scopes = [...new Set(events.map((e) => `${e.event.source} ${e.event.tenant}`))].sort();
  let baselineEvents = 0;
  let scoredEvents = 0;
  const results: FeatureSetResult[] = [];
  for (const featureSet of options.featureSets) {
    const thresholds: Record<string, number> = {};
    const scored: { ratio: number; flagged: boolean; label: AnomalyLabel | null }[] = [];
    const allDays = new Map<string, DayEvent[]>();
    const habits = new Map<string, ActionHabit>();
    const accountHours = new Map<string, Set<number>>();
    for (const scope of scopes) {
      const inScope = events.filter((e) => `${e.event.source} ${e.event.tenant}` === scope);
      const baseline = inScope.filter((e) => monthOf(e.event) === baselineMonth).map((e) => e.event);
      const next = inScope.filter((e) => monthOf(e.event) === scoredMonth);
      if (baseline.length < 2) continue;
      const first = baseline[0]!;
      const context: FitContext = { timezone: config.reportTimezone, source: first.source, tenant: first.tenant, month: baselineMonth, config };
      const state = featureSet.fit(baseline, context);
      const encoded = encodeEvents(baseline, featureSet, state, { baseline: true });
      const { model } = fitBaseline(encoded.data, encoded.n, featureSet.featureNames, featureSet.modelOptions ?? {});
      const own = scoreVectors(model, encoded.data, encoded.n).sort();
      const threshold = config.anomalyLength ?? featureSet.defaultThreshold(own, config);
      const sketch = sketchDistances(own);
      const scopeHabits = actionHabits(baseline, config.reportTimezone);
      for (const [k, v] of scopeHabits.habits) habits.set(k, v);
      for (const [k, v] of scopeHabits.accountHours) accountHours.set(k, v);
      thresholds[scope] = threshold;
      if (featureSets_first(options, featureSet)) {
        baselineEvents += baseline.length;
        scoredEvents += next.length;
      }
      // Day by day, as the daily report encodes and scores.
      const byDay = new Map<string, Labelled[]>();
      for (const e of next) {
        const day = clock.localDate(e.event.occurredAt.getTime());
        const list = byDay.get(day) ?? [];
        list.push(e);
        byDay.set(day, list);
      }
      // What earlier days of the month showed (novelty.ts), as the report loads it: the days in order.
      const seen = new Set<string>();
      for (const dayEvents of [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, list]) => list)) {
        const { data: vectors, n } = encodeEvents(dayEvents.map((e) => e.event), featureSet, state);
        const distances = scoreVectors(model, vectors, n);
        dayEvents.forEach((e, i) => scored.push({ ratio: distances[i]! / (threshold > 0 ? threshold : 1), flagged: distances[i]! > threshold, label: e.label }));
        const day = clock.localDate(dayEvents[0]!.event.occurredAt.getTime());
        const asDay = dayEventsOf(dayEvents.map((e) => e.event), { featureSet, state, data: vectors, d: featureSet.featureNames.length, distances, threshold, model, sketch, seen }, config, rules, clock);
        for (const { event } of dayEvents) for (const k of keysOf({ ...event, address: addressKey(event) })) seen.add(k);
        allDays.set(day, [...(allDays.get(day) ?? []), ...asDay]);
      }
    }
    const ordinary = scored.filter((s) => !s.label || !s.label.anomalous);
    const anomalous = scored.filter((s) => s.label?.anomalous);
    const ordinaryScores = ordinary.map((s) => s.ratio);
    const ordinaryFlagged = ordinary.filter((s) => s.flagged).length;
    const kinds: KindResult[] = ANOMALY_KINDS.map((kind) => {
      const mine = anomalous.filter((s) => s.label!.kind === kind);
      return { kind, events: mine.length, auc: rocAuc(mine.map((s) => s.ratio), ordinaryScores), recall: mine.length ? mine.filter((s) => s.flagged).length / mine.length : Number.NaN };
    });
    const routine: RoutineResult[] = ROUTINE_KINDS.map((kind) => {
      const mine = scored.filter((s) => s.label?.kind === kind);
      return { kind, events: mine.length, flagged: mine.filter((s) => s.flagged).length };
    });
    const findings = measureFindings(allDays, habits, accountHours, labelOf, baselineMonth, config);
    results.push({
      findings,
      featureSet: featureSet.name, thresholds, ordinaryEvents: ordinary.length, ordinaryFlagged,
      falsePositiveRate: ordinary.length ? ordinaryFlagged / ordinary.length : 0,
      anomalousEvents: anomalous.length, recall: anomalous.length ? anomalous.filter((s) => s.flagged).length / anomalous.length : Number.NaN,
      kinds, routine,
    });
  }
  return { seed, baselineMonth, scoredMonth, baselineEvents, scoredEvents, targetFpr: config.targetFpr, anomalyLength: config.anomalyLength ?? null, featureSets: results };
}

const eventKey = (e: Pick<AuditEvent, "source" | "tenant" | "externalId">) => `${e.source}\u0000${e.tenant}\u0000${e.externalId}`;

/** Build each day's findings as the report does and measure them against the labels (see FindingsResult). */
function measureFindings(days: Map<string, DayEvent[]>, habits: Map<string, ActionHabit>, accountHours: Map<string, Set<number>>, labelOf: Map<string, AnomalyLabel | null>, baselineMonth: string, config: Config): FindingsResult {
  const anomalous = [...labelOf.values()].filter((l): l is AnomalyLabel => l !== null && l.anomalous);
  const inside = new Set<string>();
  const noise: number[] = [];
  const perDay = { high: 0, medium: 0, low: 0 };
  let routineInHighOrMedium = 0;
  let anomaliesCalledRoutine = 0;
  let outliersWithoutReason = 0;
  for (const [day, events] of days) {
    events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    const findings = buildFindings({ day, baselineMonth, lateNightWindow: config.lateNightWindow.text, events, routine: { habits, accountHours, today: countToday(events) } });
    let dayNoise = 0;
    for (const f of findings) {
      perDay[f.severity]++;
      let hasAnomaly = false;
      for (const e of f.events) {
        const label = labelOf.get(eventKey(e));
        if (label?.anomalous) {
          hasAnomaly = true;
          inside.add(eventKey(e));
          if (f.kind === "routine") {
            anomaliesCalledRoutine++;
            if (process.env.EVAL_EXPLAIN) console.error(`anomaly called routine ${day}: ${label.kind}: ${label.description} | ${f.summary}`);
          }
        }
        if (label && !label.anomalous && f.severity !== "low") {
          routineInHighOrMedium++;
          if (process.env.EVAL_EXPLAIN) console.error(`routine in ${f.severity} ${day}: ${label.description} | ${f.summary} | ${f.reasons.join("; ")}`);
        }
      }
      const plain = f.events.every((e) => !e.flags.some((flag) => flag === "critical" || flag === "export" || flag === "late-night"));
      if (!hasAnomaly && plain) {
        dayNoise++;
        if (process.env.EVAL_EXPLAIN) console.error(`noise ${f.severity} ${day}: ${f.summary} | ${f.reasons.join("; ")}`);
      }
      if (f.events.some((e) => e.flags.includes("outlier")) && f.reasonDetails.length === 0) outliersWithoutReason++;
    }
    noise.push(dayNoise);
  }
  const n = Math.max(1, days.size);
  const kinds: Record<string, number> = {};
  for (const kind of ANOMALY_KINDS) {
    const keys = [...labelOf.entries()].filter(([, l]) => l?.anomalous && l.kind === kind).map(([k]) => k);
    kinds[kind] = keys.length ? keys.filter((k) => inside.has(k)).length / keys.length : Number.NaN;
  }
  return {
    anomaliesInFindings: anomalous.length ? inside.size / anomalous.length : Number.NaN,
    kinds,
    noisePerDayMax: Math.max(0, ...noise),
    noisePerDayMean: noise.reduce((a, b) => a + b, 0) / n,
    noiseDaysOverOne: noise.filter((x) => x > 1).length,
    days: days.size,
    perDay: { high: perDay.high / n, medium: perDay.medium / n, low: perDay.low / n },
    routineInHighOrMedium,
    anomaliesCalledRoutine,
    outliersWithoutReason,
  };
}

function featureSets_first(options: EvaluationOptions, set: FeatureSet<unknown>): boolean {
  return options.featureSets[0] === set;
}

const pct = (x: number) => (Number.isNaN(x) ? "  n/a" : `${(100 * x).toFixed(1).padStart(5)}%`);
const auc = (x: number) => (Number.isNaN(x) ? "  n/a" : x.toFixed(3));

/** The result as a plain-text table: one row per kind, the feature sets side by side. */
export function evaluationTable(result: EvaluationResult): string {
  const sets = result.featureSets;
  const head = ["kind".padEnd(34), "events", ...sets.flatMap((s) => [`${s.featureSet} AUC`.padStart(13), `recall`.padStart(7)])].join("  ");
  const lines = [head, "-".repeat(head.length)];
  ANOMALY_KINDS.forEach((kind, i) => {
    const events = sets[0]?.kinds[i]?.events ?? 0;
    lines.push([kind.padEnd(34), String(events).padStart(6), ...sets.flatMap((s) => [auc(s.kinds[i]!.auc).padStart(13), pct(s.kinds[i]!.recall).padStart(7)])].join("  "));
  });
  lines.push("-".repeat(head.length));
  lines.push(["all anomalies".padEnd(34), String(sets[0]?.anomalousEvents ?? 0).padStart(6), ...sets.flatMap((s) => ["".padStart(13), pct(s.recall).padStart(7)])].join("  "));
  lines.push(["false-positive rate (ordinary)".padEnd(34), String(sets[0]?.ordinaryEvents ?? 0).padStart(6), ...sets.flatMap((s) => [`${s.ordinaryFlagged} flagged`.padStart(13), pct(s.falsePositiveRate).padStart(7)])].join("  "));
  for (const [i, kind] of ROUTINE_KINDS.entries()) {
    const events = sets[0]?.routine[i]?.events ?? 0;
    lines.push([`routine: ${kind}`.padEnd(34), String(events).padStart(6), ...sets.flatMap((s) => [`${s.routine[i]!.flagged} flagged`.padStart(13), "".padStart(7)])].join("  "));
  }
  lines.push("");
  for (const s of sets) {
    const f = s.findings;
    lines.push(`${s.featureSet} findings: anomalies inside ${pct(f.anomaliesInFindings).trim()}; noise findings a day ${f.noisePerDayMean.toFixed(2)} (most ${f.noisePerDayMax}; more than one on ${f.noiseDaysOverOne} of ${f.days} days); a day ${f.perDay.high.toFixed(1)} high, ${f.perDay.medium.toFixed(1)} medium, ${f.perDay.low.toFixed(1)} low; routine in high/medium ${f.routineInHighOrMedium}; anomalies called routine ${f.anomaliesCalledRoutine}; outliers without reason ${f.outliersWithoutReason}`);
  }
  for (const s of sets) lines.push(`${s.featureSet} thresholds: ${Object.entries(s.thresholds).map(([scope, t]) => `${scope} ${t.toFixed(2)}`).join(", ")}`);
  lines.push(`baseline ${result.baselineMonth}: ${result.baselineEvents} events; scored ${result.scoredMonth}: ${result.scoredEvents} events; TARGET_FPR ${result.targetFpr}${result.anomalyLength !== null ? `; ANOMALY_LENGTH ${result.anomalyLength}` : ""}`);
  return lines.join("\n");
}
