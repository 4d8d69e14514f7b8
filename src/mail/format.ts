/**
 * Small formatting helpers for the report: times in the report zone and numbers.
 * Log strings are made safe to show by `displayText` (src/core/display-text.ts, the one escaping
 * shared with the terminal and the logs), re-exported here. Escaping for HTML is not done here:
 * the templates escape.
 */
import { DateTime } from "luxon";
import { displayText } from "../core/display-text.ts";
import type { ReportLang } from "./labels.ts";

export { displayText };

/** The UTC offset of `zone` on `day`, such as "+09:00". */
export function zoneOffset(zone: string, day: string): string {
  const at = DateTime.fromISO(day, { zone });
  return (at.isValid ? at : DateTime.now().setZone(zone)).toFormat("ZZ");
}

/**
 * An event time in the report zone: "HH:mm:ss" when it falls on `day`, else the date too.
 * An unreadable value is shown as given (made visible), never dropped.
 */
export function formatEventTime(iso: string, zone: string, day: string): string {
  const at = DateTime.fromISO(iso, { setZone: true });
  if (!at.isValid) return displayText(iso, 40);
  const local = at.setZone(zone);
  return local.toISODate() === day ? local.toFormat("HH:mm:ss") : local.toFormat("yyyy-MM-dd HH:mm:ss");
}

/** A full date-time in the report zone with its offset, such as "2026-10-06 07:00 +09:00". */
export function formatInstant(iso: string, zone: string): string {
  const at = DateTime.fromISO(iso, { setZone: true });
  if (!at.isValid) return displayText(iso, 40);
  return at.setZone(zone).toFormat("yyyy-MM-dd HH:mm ZZ");
}

/** A number with the language's grouping and at most `digits` decimals. */
export function formatNumber(value: number, lang: ReportLang, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString(lang === "ja" ? "ja-JP" : "en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
