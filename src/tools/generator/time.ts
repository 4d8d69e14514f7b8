/**
 * Calendar and time-zone arithmetic for the generator, fast enough for millions of rows: a zone's
 * UTC offset is looked up through Intl twice per zone and day (hourly around DST changes), then cached.
 */
import { InputError } from "../../core/errors.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

const dayCache = new Map<string, Map<number, number | null>>();

/** The zone's offset from UTC in minutes at the instant `utcMs` (Asia/Tokyo → 540). */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  if (zone === "UTC" || zone === "Etc/UTC") return 0;
  // Offsets change at most once a day: when a UTC day starts and ends with the same offset,
  // every hour of it has that offset, and two lookups serve the whole day.
  const day = Math.floor(utcMs / DAY_MS);
  let zoneDays = dayCache.get(zone);
  if (!zoneDays) {
    zoneDays = new Map();
    dayCache.set(zone, zoneDays);
  }
  let stable = zoneDays.get(day);
  if (stable === undefined) {
    const first = hourOffset(zone, day * 24);
    stable = first === hourOffset(zone, day * 24 + 24) ? first : null;
    zoneDays.set(day, stable);
  }
  return stable ?? hourOffset(zone, Math.floor(utcMs / HOUR));
}

function hourOffset(zone: string, bucket: number): number {
  let zoneCache = offsetCache.get(zone);
  if (!zoneCache) {
    zoneCache = new Map();
    offsetCache.set(zone, zoneCache);
  }
  const cached = zoneCache.get(bucket);
  if (cached !== undefined) return cached;
  const at = bucket * HOUR;
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(at))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const offset = Math.round((asUtc - at) / MINUTE);
  zoneCache.set(bucket, offset);
  return offset;
}

/** The UTC instant of a wall-clock time in `zone` (`localMs` is that wall time read as if UTC). */
export function localToUtc(zone: string, localMs: number): number {
  let utc = localMs - zoneOffsetMinutes(zone, localMs) * MINUTE;
  // Once more at the candidate instant, so that days with a DST change land right.
  utc = localMs - zoneOffsetMinutes(zone, utc) * MINUTE;
  return utc;
}

/** The wall-clock time in `zone` at `utcMs`, as milliseconds read as if UTC. */
export function utcToLocal(zone: string, utcMs: number): number {
  return utcMs + zoneOffsetMinutes(zone, utcMs) * MINUTE;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DD HH:mm:ss` of the wall-clock time in `zone` at `utcMs` (the console's Date cell). */
export function formatLocalDateTime(zone: string, utcMs: number): string {
  const d = new Date(utcToLocal(zone, utcMs));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** A calendar day of the range being generated. */
export interface CalendarDay {
  /** `YYYY-MM-DD`. */
  key: string;
  /** Midnight of the day read as if UTC (add minutes, then convert with localToUtc). */
  localMidnight: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Saturday, Sunday or a fixed Japanese public holiday. */
  isDayOff: boolean;
  /** 0-based position in the range. */
  index: number;
}

/** Parses `YYYY-MM-DD` into midnight-as-if-UTC, or throws naming the value. */
export function parseDay(value: string, what = "day"): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new InputError(`${what} must be YYYY-MM-DD, got ${JSON.stringify(value)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (formatDayKey(ms) !== value) throw new InputError(`${what} is not a calendar day: ${JSON.stringify(value)}`);
  return ms;
}

/** `YYYY-MM-DD` of a midnight-as-if-UTC value. */
export function formatDayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

// Fixed-date Japanese public holidays (month-day); enough to give the calendar its shape.
const HOLIDAYS = new Set(["01-01", "01-02", "01-03", "02-11", "02-23", "04-29", "05-03", "05-04", "05-05", "08-11", "11-03", "11-23", "12-29", "12-30", "12-31"]);

/** The days from `from` to `to`, both inclusive (`YYYY-MM-DD`). */
export function calendarDays(from: string, to: string): CalendarDay[] {
  const start = parseDay(from, "from");
  const end = parseDay(to, "to");
  if (end < start) throw new InputError(`the range ends (${to}) before it starts (${from})`);
  const days: CalendarDay[] = [];
  for (let ms = start, index = 0; ms <= end; ms += DAY_MS, index++) {
    const key = formatDayKey(ms);
    const weekday = new Date(ms).getUTCDay();
    days.push({ key, localMidnight: ms, weekday, isDayOff: weekday === 0 || weekday === 6 || HOLIDAYS.has(key.slice(5)), index });
  }
  return days;
}
