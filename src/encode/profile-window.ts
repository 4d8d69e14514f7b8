/**
 * What the profile feature set reads from an event's neighbours in the batch being encoded:
 * how many other events of the same account fall within ±BURST_WINDOW_MS of it, and for a
 * successful login how many failed logins of the same account from the same address came in the
 * FAILURE_WINDOW_MS before it. Also the keys every profile lookup uses (account, address, phone).
 */
import { isMobileAgent } from "../core/mobile-agent.ts";
import type { EncodableEvent } from "./feature-set.ts";

/** Half-width of the burst window (±5 minutes: a 10-minute window). */
export const BURST_WINDOW_MS = 5 * 60_000;
/** How far back failures count for "failed then succeeded". */
export const FAILURE_WINDOW_MS = 10 * 60_000;
/** At most this many earlier events of the account are looked at per login. */
const MAX_LOOKBACK = 500;

/** A batch's neighbour counts, row i for events[i]. */
export interface NeighbourCounts {
  /** Other events of the same account within ±BURST_WINDOW_MS. */
  burst: Float64Array;
  /** For a successful login: failed logins of the same account and address in the FAILURE_WINDOW_MS before it. */
  failuresBefore: Float64Array;
}

/** The key events are grouped by: the account, or for events without one the client (machine credentials). */
export function profileKey(event: Pick<EncodableEvent, "account" | "appId">): string {
  if (event.account !== "") return event.account;
  return event.appId ? `client:${event.appId}` : "";
}

/** The address used for profiles: the canonical form, else the text as given, trimmed. */
export function addressKey(event: Pick<EncodableEvent, "ip" | "ipParsed">): string {
  return event.ipParsed ?? event.ip.trim();
}

/** Whether the event came from a phone or tablet: the loaded flag, else from its user agent. */
export function isMobileEvent(event: Pick<EncodableEvent, "isMobile" | "userAgent">): boolean {
  return event.isMobile ?? (event.userAgent !== undefined && isMobileAgent(event.userAgent));
}

/** Each account's rows of `events`, in time order (rows of the same instant in batch order). */
function rowsByAccount(events: readonly EncodableEvent[]): number[][] {
  const rows = new Map<string, number[]>();
  events.forEach((event, i) => {
    const key = profileKey(event);
    const list = rows.get(key);
    if (list) list.push(i);
    else rows.set(key, [i]);
  });
  const time = (i: number) => events[i]!.occurredAt.getTime();
  return [...rows.values()].map((list) => list.sort((a, b) => time(a) - time(b) || a - b));
}

/** Failed logins of the account from the login's address among its rows before `at` within FAILURE_WINDOW_MS. */
function failuresBefore(events: readonly EncodableEvent[], rows: readonly number[], at: number): number {
  const login = events[rows[at]!]!;
  const since = login.occurredAt.getTime() - FAILURE_WINDOW_MS;
  const address = addressKey(login);
  let failures = 0;
  for (let q = at - 1; q >= 0 && at - q <= MAX_LOOKBACK; q--) {
    const earlier = events[rows[q]!]!;
    if (earlier.occurredAt.getTime() < since) break;
    if (earlier.isFailedLogin && addressKey(earlier) === address) failures++;
  }
  return failures;
}

/** Burst and failure counts of every event of the batch `events` (any order). */
export function neighbourCounts(events: readonly EncodableEvent[]): NeighbourCounts {
  const burst = new Float64Array(events.length);
  const failures = new Float64Array(events.length);
  for (const rows of rowsByAccount(events)) {
    const times = rows.map((i) => events[i]!.occurredAt.getTime());
    // The window [t − BURST_WINDOW_MS, t + BURST_WINDOW_MS] is rows lo .. hi − 1.
    let lo = 0;
    let hi = 0;
    rows.forEach((i, p) => {
      const t = times[p]!;
      while (times[lo]! < t - BURST_WINDOW_MS) lo++;
      while (hi < rows.length && times[hi]! <= t + BURST_WINDOW_MS) hi++;
      burst[i] = hi - lo - 1;
      const event = events[i]!;
      if (event.isLogin && !event.isFailedLogin) failures[i] = failuresBefore(events, rows, p);
    });
  }
  return { burst, failuresBefore: failures };
}
