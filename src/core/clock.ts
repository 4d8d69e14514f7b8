/**
 * The one clock: everything that asks what time it is (the default `--today`, prune's cutoff,
 * cursor ages, run records, report generation) asks `now()`. Tests and replays set it with
 * `setClock` (in process) or `KANSA_NOW` (a whole command): the clock then starts at that
 * instant and runs on at real speed, so that runs started one after another stay in order.
 *
 * Durations, timeouts and lock deadlines measure elapsed real time and keep `Date.now()`; so do
 * comparisons with a server's own clock (an API token's lifetime, a rate limit's reset).
 */
import { ConfigError } from "./errors.ts";

let offsetMs = 0;

/** The current instant by kansa's clock. */
export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Make `now()` read `at` from this moment on (and run on from there); `null` restores the system clock. */
export function setClock(at: Date | null): void {
  offsetMs = at === null ? 0 : at.getTime() - Date.now();
}

/**
 * Parse KANSA_NOW: an ISO 8601 instant with a zone (2026-10-06T07:00:00+09:00), or a day
 * YYYY-MM-DD, read as its midnight UTC. Empty: the system clock.
 */
export function parseClockSetting(text: string | undefined): Date | null {
  if (text === undefined || text.trim() === "") return null;
  const value = text.trim();
  const withZone = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const at = /(Z|[+-]\d{2}:?\d{2})$/.test(withZone) ? new Date(withZone) : new Date(NaN);
  if (!Number.isFinite(at.getTime())) {
    throw new ConfigError(`KANSA_NOW must be an instant with a zone such as 2026-10-06T07:00:00+09:00, or a day YYYY-MM-DD, got "${value}".`, {
      details: { variable: "KANSA_NOW" },
    });
  }
  return at;
}
