/**
 * Per-account neighbourhoods within one batch of events, for the profile feature set: how many
 * other events of the same account fall within ±BURST_WINDOW of each event, and for each
 * successful login how many failed logins of the same account from the same address came in the
 * FAILURE_WINDOW before it. Linear after one pass: events are grouped by account with a counting
 * sort that keeps time order (a batch not in time order is sorted first).
 */
import type { EncodableEvent } from "./feature-set.ts";

/** Half-width of the burst window (±5 minutes: a 10-minute window). */
export const BURST_WINDOW_MS = 5 * 60_000;
/** How far back failures count for "failed then succeeded". */
export const FAILURE_WINDOW_MS = 10 * 60_000;
/** At most this many earlier events are looked at per login. */
const MAX_LOOKBACK = 500;

export interface BatchContext {
  events: readonly EncodableEvent[];
  /** Other events of the same account within ±BURST_WINDOW_MS. */
  burst: Float64Array;
  /** For a successful login: failed logins of the same account and address in the FAILURE_WINDOW_MS before it. */
  failuresBefore: Float64Array;
}

/** The key events are grouped by: the account, or for events without one the client (Auth0 machine credentials). */
export function profileKey(event: Pick<EncodableEvent, "account" | "appId">): string {
  if (event.account !== "") return event.account;
  return event.appId ? `client:${event.appId}` : "";
}

/** The address used for profiles: the canonical form, else the text as given, trimmed. */
export function addressKey(event: Pick<EncodableEvent, "ip" | "ipParsed">): string {
  return event.ipParsed ?? event.ip.trim();
}

/** Burst and failure counts of every event of `events` (see the module comment). */
export function batchContext(events: readonly EncodableEvent[]): BatchContext {
  const n = events.length;
  const burst = new Float64Array(n);
  const failuresBefore = new Float64Array(n);
  if (n === 0) return { events, burst, failuresBefore };
  const times = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    times[i] = events[i]!.occurredAt.getTime();
    if (i > 0 && times[i]! < times[i - 1]!) sorted = false;
  }
  let order: Int32Array;
  if (sorted) {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  } else {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => times[a]! - times[b]! || a - b);
    order = Int32Array.from(idx);
  }
  // Counting sort by account, stable, so each account's events stay in time order.
  const ids = new Map<string, number>();
  const group = new Int32Array(n);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = profileKey(events[i]!);
    let id = ids.get(key);
    if (id === undefined) {
      id = counts.length;
      ids.set(key, id);
      counts.push(0);
    }
    group[i] = id;
    counts[id]! += 1;
  }
  const starts = new Int32Array(counts.length + 1);
  for (let g = 0; g < counts.length; g++) starts[g + 1] = starts[g]! + counts[g]!;
  const fill = starts.slice(0, counts.length);
  const byGroup = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    byGroup[fill[group[i]!]!++] = i;
  }
  for (let g = 0; g < counts.length; g++) {
    const from = starts[g]!;
    const to = starts[g + 1]!;
    let lo = from;
    let hi = from;
    for (let p = from; p < to; p++) {
      const i = byGroup[p]!;
      const t = times[i]!;
      while (times[byGroup[lo]!]! < t - BURST_WINDOW_MS) lo++;
      if (hi < p + 1) hi = p + 1;
      while (hi < to && times[byGroup[hi]!]! <= t + BURST_WINDOW_MS) hi++;
      burst[i] = hi - lo - 1;
      const event = events[i]!;
      if (event.isLogin && !event.isFailedLogin) {
        const address = addressKey(event);
        let failures = 0;
        for (let q = p - 1; q >= from && p - q <= MAX_LOOKBACK; q--) {
          const j = byGroup[q]!;
          if (times[j]! < t - FAILURE_WINDOW_MS) break;
          const earlier = events[j]!;
          if (earlier.isFailedLogin && addressKey(earlier) === address) failures++;
        }
        failuresBefore[i] = failures;
      }
    }
  }
  return { events, burst, failuresBefore };
}
