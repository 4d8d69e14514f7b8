/**
 * One batch of events as the profile feature set reads it:
 *  - the batch's dictionaries: each event's account (profile key), action, address and app as a
 *    number, so that what depends on an (account, value) pair is looked up once per pair and not
 *    once per event (a string-keyed lookup costs more than the rest of an event's encoding);
 *  - per-account neighbourhoods: how many other events of the same account fall within
 *    ±BURST_WINDOW of each event, and for each successful login how many failed logins of the
 *    same account from the same address came in the FAILURE_WINDOW before it.
 * Linear after one pass: events are grouped by account with a counting sort that keeps time
 * order (a batch not in time order is sorted first).
 */
import { isMobileAgent } from "../core/mobile-agent.ts";
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
  /** Group (profile key) of each event: an index into `keys`. */
  group: Int32Array;
  /** The profile key of each group (see profileKey), in order of first appearance. */
  keys: string[];
  /** Each event's time (ms). */
  times: Float64Array;
  /** Each event's action, address (addressKey, "" for none) and app ("" for none): an index into `actions`, `addresses`, `apps`. */
  action: Int32Array;
  actions: string[];
  address: Int32Array;
  addresses: string[];
  app: Int32Array;
  apps: string[];
}

/** Distinct strings numbered in order of first appearance. */
export class Dictionary {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
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

/** Whether the event came from a phone or tablet: the loaded flag, else from its user agent. */
export function isMobileEvent(event: Pick<EncodableEvent, "isMobile" | "userAgent">): boolean {
  return event.isMobile ?? (event.userAgent !== undefined && isMobileAgent(event.userAgent));
}

const LOGIN = 1;
const FAILED = 2;

/**
 * Burst and failure counts of every event of `events` (see the module comment). The events are
 * read once, in order, into typed arrays; the per-account windows then walk only those (a pass
 * in account order over the event objects themselves would jump across the heap).
 */
export function batchContext(events: readonly EncodableEvent[]): BatchContext {
  const n = events.length;
  const burst = new Float64Array(n);
  const failuresBefore = new Float64Array(n);
  const times = new Float64Array(n);
  const group = new Int32Array(n);
  const action = new Int32Array(n);
  const address = new Int32Array(n);
  const app = new Int32Array(n);
  const flags = new Uint8Array(n);
  const keys = new Dictionary();
  const actions = new Dictionary();
  const addresses = new Dictionary();
  const apps = new Dictionary();
  const counts: number[] = [];
  /** Failed logins per group: the failure window is walked only for accounts that had some. */
  const failed: number[] = [];
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const event = events[i]!;
    const t = event.occurredAt.getTime();
    times[i] = t;
    if (i > 0 && t < times[i - 1]!) sorted = false;
    const id = keys.id(profileKey(event));
    if (id === counts.length) {
      counts.push(0);
      failed.push(0);
    }
    group[i] = id;
    counts[id]! += 1;
    action[i] = actions.id(event.action);
    address[i] = addresses.id(addressKey(event));
    app[i] = apps.id(event.appId ?? "");
    const flag = (event.isLogin ? LOGIN : 0) | (event.isFailedLogin ? FAILED : 0);
    flags[i] = flag;
    if ((flag & FAILED) !== 0) failed[id]! += 1;
  }
  const context = { events, burst, failuresBefore, group, keys: keys.values, times, action, actions: actions.values, address, addresses: addresses.values, app, apps: apps.values };
  if (n === 0) return context;
  let order: Int32Array | null = null;
  if (!sorted) {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => times[a]! - times[b]! || a - b);
    order = Int32Array.from(idx);
  }
  // Counting sort by account, stable, so each account's events stay in time order; `at` holds
  // their times in that order (the windows below then read memory in sequence).
  const starts = new Int32Array(counts.length + 1);
  for (let g = 0; g < counts.length; g++) starts[g + 1] = starts[g]! + counts[g]!;
  const fill = starts.slice(0, counts.length);
  const byGroup = new Int32Array(n);
  const at = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const i = order === null ? r : order[r]!;
    const p = fill[group[i]!]!++;
    byGroup[p] = i;
    at[p] = times[i]!;
  }
  for (let g = 0; g < counts.length; g++) {
    const from = starts[g]!;
    const to = starts[g + 1]!;
    const anyFailed = failed[g]! > 0;
    let lo = from;
    let hi = from;
    for (let p = from; p < to; p++) {
      const i = byGroup[p]!;
      const t = at[p]!;
      while (at[lo]! < t - BURST_WINDOW_MS) lo++;
      if (hi < p + 1) hi = p + 1;
      while (hi < to && at[hi]! <= t + BURST_WINDOW_MS) hi++;
      burst[i] = hi - lo - 1;
      if (anyFailed && flags[i] === LOGIN) {
        const place = address[i]!;
        let failures = 0;
        for (let q = p - 1; q >= from && p - q <= MAX_LOOKBACK; q--) {
          if (at[q]! < t - FAILURE_WINDOW_MS) break;
          const j = byGroup[q]!;
          if ((flags[j]! & FAILED) !== 0 && address[j] === place) failures++;
        }
        failuresBefore[i] = failures;
      }
    }
  }
  return context;
}
