/**
 * Which sections an event of the reported day belongs to. The flags come from its source's
 * classification rules (src/sources/<name>/classification.ts) applied under the current
 * configuration to the stored event and its raw record, so a changed rule (an action pattern, a
 * list of critical types) takes effect on events already stored, both ways: a type taken off a
 * critical list is no longer critical. An event of a source no longer registered keeps the flags
 * stored with it.
 */
import { storedFlags, type EventFlags } from "../core/classification.ts";
import type { Config, TimeWindow } from "../core/config.ts";
import type { ZoneClock } from "../encode/local-time.ts";
import { sourceEntry } from "../sources/registry.ts";
import type { EventRow } from "../store/event-queries.ts";

/** The event as the report classifies it. */
export type ClassifiableRow = Pick<EventRow, "source" | "action" | "level" | "result" | "raw" | "isExport" | "isCritical" | "isLogin" | "isFailedLogin">;

export interface SectionRules {
  /** An event's flags under the current configuration. */
  flagsOf(event: ClassifiableRow): EventFlags;
  lateNightWindow: TimeWindow;
}

/** The rules of the configuration: each registered source's classification, and the late-night window. */
export function sectionRules(config: Config): SectionRules {
  return {
    flagsOf: (event) => sourceEntry(event.source)?.classify(event, config) ?? storedFlags(event),
    lateNightWindow: config.lateNightWindow,
  };
}

/** True when the instant's local time falls in the window (start inclusive, end exclusive, may wrap midnight). */
function inWindow(window: TimeWindow, clock: ZoneClock, instant: Date): boolean {
  const minute = Math.floor(clock.secondsOfDay(instant.getTime()) / 60);
  return window.startMinute < window.endMinute
    ? minute >= window.startMinute && minute < window.endMinute
    : minute >= window.startMinute || minute < window.endMinute;
}

/** "login" for a successful login in the late-night window, "failed" for a failed one, else null. */
export function lateNightKind(flags: EventFlags, occurredAt: Date, rules: SectionRules, clock: ZoneClock): "login" | "failed" | null {
  if (!flags.isLogin && !flags.isFailedLogin) return null;
  if (!inWindow(rules.lateNightWindow, clock, occurredAt)) return null;
  return flags.isLogin ? "login" : "failed";
}
