/**
 * Days and months in the report time zone: command-line validation, DST-safe boundaries
 * (a local day is from one local midnight to the next, 23, 24 or 25 hours), the reported day
 * (the day before "today") and its baseline month (the previous calendar month).
 */
import { DateTime } from "luxon";
import { InputError } from "./errors.ts";
import type { TimeRange } from "./types.ts";
import { now as clockNow } from "./clock.ts";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** `text` if it is a real calendar day YYYY-MM-DD, else an InputError naming `option`. */
export function parseDay(text: string, option = "--today"): string {
  const m = DAY.exec(text.trim());
  const date = m ? DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone: "UTC" }) : null;
  if (!m || !date?.isValid) {
    throw new InputError(`${option} must be a day written YYYY-MM-DD (such as 2026-11-23), got "${text}".`, { details: { option } });
  }
  return text.trim();
}

/** `text` if it is a month YYYY-MM, else an InputError naming `option`. */
export function parseMonth(text: string, option = "--month"): string {
  const m = MONTH.exec(text.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw new InputError(`${option} must be a month written YYYY-MM (such as 2026-10), got "${text}".`, { details: { option } });
  }
  return text.trim();
}

/** Today's date in `zone`. */
export function todayIn(zone: string, now: Date = clockNow()): string {
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}

/** `day` plus `n` calendar days (n may be negative). */
export function addDays(day: string, n: number): string {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days: n }).toISODate()!;
}

/** The month YYYY-MM of a day. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** The calendar month before `month`. */
export function previousMonth(month: string): string {
  return DateTime.fromISO(`${month}-01`, { zone: "UTC" }).minus({ months: 1 }).toFormat("yyyy-MM");
}

/** The instant of local midnight starting `day` in `zone` (the first instant of the day where midnight is skipped). */
function startOfLocalDay(day: string, zone: string): DateTime {
  return DateTime.fromISO(day, { zone }).startOf("day");
}

/** [local midnight of `day`, local midnight of the next day) in `zone`, as UTC instants. */
export function dayRange(day: string, zone: string): TimeRange {
  return { from: startOfLocalDay(day, zone).toJSDate(), to: startOfLocalDay(addDays(day, 1), zone).toJSDate() };
}

/** [first local midnight of `month`, first local midnight of the next month) in `zone`. */
export function monthRange(month: string, zone: string): TimeRange {
  const next = DateTime.fromISO(`${month}-01`, { zone: "UTC" }).plus({ months: 1 }).toFormat("yyyy-MM-dd");
  return { from: startOfLocalDay(`${month}-01`, zone).toJSDate(), to: startOfLocalDay(next, zone).toJSDate() };
}

/** Days in a calendar month. */
export function daysInMonth(month: string): number {
  return DateTime.fromISO(`${month}-01`, { zone: "UTC" }).daysInMonth!;
}

/** The day reported on a run for `today`, and that day's baseline month. */
export function reportedDay(today: string): { day: string; baselineMonth: string } {
  const day = addDays(today, -1);
  return { day, baselineMonth: previousMonth(monthOf(day)) };
}

/** An instant as ISO 8601 with the zone's offset (2026-11-22T02:13:05+09:00; milliseconds when not zero). */
export function formatInstant(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true })!;
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The first and last day of `month`. */
export function monthDays(month: string): { first: string; last: string } {
  return { first: `${month}-01`, last: `${month}-${String(daysInMonth(month)).padStart(2, "0")}` };
}
