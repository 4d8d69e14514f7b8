/**
 * Which sections an event of the reported day belongs to. The normaliser stores flags when an
 * event is ingested; the current configuration's rules are applied again here, so a changed
 * EXPORT_ACTION_PATTERN or AUTH0_CRITICAL_TYPES takes effect on events already stored.
 */
import type { TimeWindow } from "../core/config.ts";
import type { ZoneClock } from "../encode/local-time.ts";
import type { EventRow } from "../store/event-queries.ts";

export interface SectionRules {
  exportActionPattern: RegExp;
  auth0CriticalTypes: readonly string[];
  lateNightWindow: TimeWindow;
}

const CRITICAL_LEVEL = /^(重要|notice)$/i;

type Classifiable = Pick<EventRow, "source" | "action" | "level" | "occurredAt" | "isExport" | "isCritical" | "isLogin" | "isFailedLogin">;

/** Data exports: stored flag (Auth0 users-export jobs), or a console action matching the pattern. */
export function isExportEvent(event: Classifiable, rules: SectionRules): boolean {
  return event.isExport || (event.source !== "auth0" && rules.exportActionPattern.test(event.action));
}

/** Critical: stored flag (incl. Auth0 sapi writes), console level 重要/Notice, or an Auth0 critical type. */
export function isCriticalEvent(event: Classifiable, rules: SectionRules): boolean {
  if (event.isCritical) return true;
  if (event.source === "auth0") return rules.auth0CriticalTypes.includes(event.action);
  return event.level !== null && CRITICAL_LEVEL.test(event.level.trim());
}

/** True when the instant's local time falls in the window (start inclusive, end exclusive, may wrap midnight). */
export function inWindow(window: TimeWindow, clock: ZoneClock, instant: Date): boolean {
  const minute = Math.floor(clock.secondsOfDay(instant.getTime()) / 60);
  return window.startMinute < window.endMinute
    ? minute >= window.startMinute && minute < window.endMinute
    : minute >= window.startMinute || minute < window.endMinute;
}

/** "login" for a successful login in the late-night window, "failed" for a failed one, else null. */
export function lateNightKind(event: Classifiable, rules: SectionRules, clock: ZoneClock): "login" | "failed" | null {
  if (!event.isLogin && !event.isFailedLogin) return null;
  if (!inWindow(rules.lateNightWindow, clock, event.occurredAt)) return null;
  return event.isLogin ? "login" : "failed";
}
