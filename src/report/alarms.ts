/**
 * Alarms: what the reader must know before any finding, because it makes the rest of the report
 * incomplete. Pure: built from what the report loader gathered for each source and tenant.
 * See `Alarm` in src/core/report-model.ts for the kinds.
 */
import { DateTime } from "luxon";
import type { Alarm } from "../core/report-model.ts";
import type { SourceTenant } from "../store/event-queries.ts";

/** A day below this share of the usual day of its kind is "far fewer" (and silent). */
export const SILENT_SHARE = 0.1;
/** ... but only when the usual day has at least this many events; below it, only a day with none is. */
export const SILENT_MIN_USUAL = 20;

export interface AlarmScope {
  scope: SourceTenant;
  /** The source is configured (collected by this run); else its events came from `kansa import`. */
  configured: boolean;
  /** Events stored for the reported day. */
  eventsThatDay: number;
  baseline: { available: boolean; month: string; n: number };
  /** Events per day of the baseline month (every day of the month, zeros included). */
  baselineDays: { day: string; events: number }[];
  errors: string[];
  /** Sentences of the source on entries it may have lost (its own retention ran out). */
  gaps: string[];
}

const ORDER: Alarm["kind"][] = ["source-failed", "retention-gap", "source-silent", "baseline-missing"];

export type DayKind = "weekday" | "weekend";

/** Saturday and Sunday are the weekend. */
export function dayKind(day: string): DayKind {
  return DateTime.fromISO(day, { zone: "UTC" }).weekday >= 6 ? "weekend" : "weekday";
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The usual (median) number of events of a day of `kind` in the baseline month. */
export function usualDay(days: { day: string; events: number }[], kind: DayKind): number {
  return median(days.filter((d) => dayKind(d.day) === kind).map((d) => d.events));
}

const name = (s: SourceTenant) => `${s.source} ${s.tenant}`;

/**
 * The alarms of the reported `day`, most serious kind first, then by source and tenant.
 * `dayOver` is false when the report is made before the day has ended (a `--today` in the
 * future): a day still under way is never called silent.
 */
export function buildAlarms(day: string, scopes: AlarmScope[], minBaselineEvents: number, dayOver = true): Alarm[] {
  const alarms: Alarm[] = [];
  for (const s of scopes) {
    const { source, tenant } = s.scope;
    const failed = s.errors.length > 0;
    if (failed) {
      alarms.push({
        kind: "source-failed", source, tenant, detail: s.errors.join(" "),
        message: `Collecting ${name(s.scope)} failed, so ${day} may be incomplete: ${s.errors.join(" ")}`,
        fix: `kansa collect --source ${source} --from ${day} --to ${day}`,
      });
    }
    for (const gap of s.gaps) alarms.push({ kind: "retention-gap", source, tenant, message: gap, detail: gap });
    if (!s.baseline.available) {
      const month = s.baseline.month;
      const fix = s.configured ? `kansa backfill --month ${month}` : `kansa import <the files of ${month}>`;
      alarms.push({
        kind: "baseline-missing", source, tenant, month, observed: s.baseline.n, minimum: minBaselineEvents,
        message: `No baseline for ${name(s.scope)}: ${month} has ${s.baseline.n} stored event(s), fewer than MIN_BASELINE_EVENTS (${minBaselineEvents}), so no event of ${day} was scored. Run \`${fix}\`.`,
        fix,
      });
      continue;
    }
    if (failed || !dayOver) continue; // the failure says it already; an unfinished day may still fill
    const kind = dayKind(day);
    const expected = usualDay(s.baselineDays, kind);
    const observed = s.eventsThatDay;
    const silent = observed === 0 ? expected >= 1 : expected >= SILENT_MIN_USUAL && observed < expected * SILENT_SHARE;
    if (!silent) continue;
    const fix = s.configured ? `kansa collect --source ${source} --from ${day} --to ${day}` : `kansa import <the files of ${day}>`;
    const what = observed === 0 ? "stored no event" : `stored only ${observed} event(s)`;
    alarms.push({
      kind: "source-silent", source, tenant, observed, expected, dayKind: kind, month: s.baseline.month,
      message: `${name(s.scope)} ${what} for ${day} (a ${kind}); its usual ${kind} in ${s.baseline.month} has ${expected}. Check the source, then run \`${fix}\`.`,
      fix,
    });
  }
  return alarms.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}
