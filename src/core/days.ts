/**
 * Days and months in a time zone. Every date on the command line is a day in the report time
 * zone; a day is the half-open range [local midnight, next local midnight), which is 23 or 25
 * hours long across a DST change.
 */
import { DateTime } from "luxon";
import { ConfigError } from "./errors.ts";
import type { TimeRange } from "./types.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

/** Validate a YYYY-MM-DD day given for `label` (an option name such as --today). */
export function parseDay(text: string, label: string): string {
  if (!DAY.test(text) || !DateTime.fromISO(text, { zone: "UTC" }).isValid) {
    throw new ConfigError(`${label} must be a day written YYYY-MM-DD, got "${text}".`);
  }
  return text;
}

/** Validate a YYYY-MM month given for `label`. */
export function parseMonth(text: string, label: string): string {
  if (!MONTH.test(text) || !DateTime.fromISO(`${text}-01`, { zone: "UTC" }).isValid) {
    throw new ConfigError(`${label} must be a month written YYYY-MM, got "${text}".`);
  }
  return text;
}

/** The instant range of `day` in `zone`. */
export function dayRange(day: string, zone: string): TimeRange {
  const start = DateTime.fromISO(day, { zone }).startOf("day");
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
}

/** The instant range of `month` (YYYY-MM) in `zone`. */
export function monthRange(month: string, zone: string): TimeRange {
  const start = DateTime.fromISO(`${month}-01`, { zone }).startOf("month");
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/** `day` shifted by `days` (calendar days). */
export function addDays(day: string, days: number): string {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days }).toISODate()!;
}

/** Today's date in `zone` (at `now`). */
export function today(zone: string, now: Date = new Date()): string {
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}

/** The day (YYYY-MM-DD) in `zone` on which `instant` falls. */
export function dayOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}

/** The month (YYYY-MM) before the one containing `day`. */
export function previousMonth(day: string): string {
  return DateTime.fromISO(day, { zone: "UTC" }).minus({ months: 1 }).toFormat("yyyy-MM");
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The first and last day of `month`. */
export function monthDays(month: string): { first: string; last: string } {
  const start = DateTime.fromISO(`${month}-01`, { zone: "UTC" });
  return { first: start.toISODate()!, last: start.endOf("month").toISODate()! };
}
