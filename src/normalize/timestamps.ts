/**
 * Event times in the forms real logs use (seed 004): Unix numbers in seconds, milliseconds,
 * microseconds or nanoseconds (as numbers, bigints or digit strings), ISO 8601 with or without
 * a zone, `2024/05/01 12:34:56` and `2024年5月1日 12:34:56` local times, RFC 2822 / HTTP dates,
 * and wrapper objects (`{ $date: ... }`, `{ $numberLong: ... }`, `{ seconds, nanos }`,
 * `{ _seconds, _nanoseconds }`). A time without a zone is read in the zone the caller names.
 */
import { DateTime } from "luxon";

/** Earliest and latest instants accepted: anything outside is a misread unit, not an event. */
const MIN_MS = Date.UTC(1971, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

function plausible(ms: number): Date | null {
  return Number.isFinite(ms) && ms >= MIN_MS && ms < MAX_MS ? new Date(Math.round(ms)) : null;
}

/**
 * A Unix time whose unit is inferred from its magnitude: below 1e11 seconds (up to year 5138),
 * below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds.
 */
export function fromEpochNumber(value: number): Date | null {
  if (!Number.isFinite(value)) return null;
  const abs = Math.abs(value);
  if (abs < 1e11) return plausible(value * 1000);
  if (abs < 1e14) return plausible(value);
  if (abs < 1e17) return plausible(value / 1000);
  return plausible(value / 1e6);
}

function fromEpochDigits(text: string): Date | null {
  // Nanosecond strings exceed 2^53: cut to milliseconds by digit count before converting.
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const digits = match[2]!;
  if (digits.length > 16 && !match[3]) return plausible(Number(`${match[1]}${digits.slice(0, digits.length - 6)}`));
  return fromEpochNumber(Number(text));
}

// Offsets of local hours are cached: luxon's zone arithmetic is the slow part of reading a
// million console rows, and an offset only changes at a DST transition (on the hour).
const offsetCache = new Map<string, number>();

/** Milliseconds since the epoch of a wall-clock time in `zone`; NaN when invalid. */
export function localToEpoch(
  zone: string,
  year: number, month: number, day: number,
  hour: number, minute: number, second: number, millisecond = 0,
): number {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(wall);
  if (check.getUTCDate() !== day) return NaN; // 2024-02-31
  if (zone === "UTC" || zone === "Etc/UTC") return wall;
  const key = `${zone}|${year}-${month}-${day}T${hour}`;
  let offsetMinutes = offsetCache.get(key);
  if (offsetMinutes === undefined) {
    const dt = DateTime.fromObject({ year, month, day, hour }, { zone });
    if (!dt.isValid) return NaN;
    offsetMinutes = dt.offset;
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, offsetMinutes);
  }
  return wall - offsetMinutes * 60_000;
}

const LOCAL_OR_ISO =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
const JAPANESE = /^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[:時](\d{2})(?:[:分](\d{2})秒?)?)?$/;

function offsetMinutesOf(zoneText: string): number {
  if (/^(Z|UTC|GMT)$/i.test(zoneText)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zoneText)!;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? "0");
  return m[1] === "-" ? -minutes : minutes;
}

/** Parse a time string; one without a zone is wall-clock time in `zone`. Null when unparsable. */
export function parseTimeString(text: string, zone: string): Date | null {
  const value = text.trim();
  if (value === "") return null;
  if (/^-?\d+(\.\d+)?$/.test(value)) return fromEpochDigits(value);
  const m = LOCAL_OR_ISO.exec(value);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
    if (m[8]) {
      const wall = Date.UTC(year, month - 1, day, hour, minute, second) + fraction;
      if (new Date(wall).getUTCDate() !== day || month > 12 || minute > 59 || second > 60) return null;
      return plausible(wall - offsetMinutesOf(m[8]) * 60_000);
    }
    return plausible(localToEpoch(zone, year, month, day, hour, minute, second, fraction));
  }
  const j = JAPANESE.exec(value);
  if (j) {
    return plausible(localToEpoch(zone, Number(j[1]), Number(j[2]), Number(j[3]), Number(j[4] ?? 0), Number(j[5] ?? 0), Number(j[6] ?? 0)));
  }
  // (Not luxon's fromISO: it reads a bare "12:00:00" as today.)
  for (const parsed of [DateTime.fromRFC2822(value, { zone }), DateTime.fromHTTP(value, { zone })]) {
    if (parsed.isValid) return plausible(parsed.toMillis());
  }
  return null;
}

/**
 * Read any timestamp-like value into a UTC instant, or null when it holds no plausible time
 * (between 1971 and 2200). Never throws.
 */
export function parseTimestamp(value: unknown, zone: string, depth = 0): Date | null {
  if (value === null || value === undefined || depth > 3) return null;
  if (value instanceof Date) return plausible(value.getTime());
  switch (typeof value) {
    case "number":
      return fromEpochNumber(value);
    case "bigint":
      return fromEpochDigits(value.toString());
    case "string":
      return parseTimeString(value, zone);
    case "object": {
      if (Array.isArray(value)) return null;
      const o = value as Record<string, unknown>;
      for (const key of ["$date", "$numberLong", "iso", "value", "date", "time", "timestamp"]) {
        if (key in o) return parseTimestamp(o[key], zone, depth + 1);
      }
      const seconds = o.seconds ?? o._seconds ?? o.epochSecond;
      if (seconds !== undefined) {
        const s = Number(seconds);
        const nanos = Number(o.nanos ?? o._nanoseconds ?? o.nanoseconds ?? o.nano ?? 0);
        return Number.isFinite(s) && Number.isFinite(nanos) ? plausible(s * 1000 + nanos / 1e6) : null;
      }
      return null;
    }
    default:
      return null;
  }
}
