/**
 * One retry helper for every source's transport (an API client, a browser scraper): the
 * caller's classifier says, for each failure, whether to retry after a wait the server asked
 * for, retry with exponential backoff, or fail now; the helper enforces the limits (a number of
 * retries, a time from the first failure), waits, and tells the caller before each retry and
 * when it gives up. Each source keeps the classification of its own errors.
 */
import { setTimeout as sleep } from "node:timers/promises";

/**
 * What to do about one failure. `counted: false` marks a retry the classifier bounds itself
 * (a new session after the old one ended), outside the retry limit.
 */
export type RetryDecision =
  | { action: "retry after"; waitMs: number; counted?: false }
  | { action: "retry with backoff"; counted?: false }
  | { action: "fail now"; error?: unknown };

/** A retry about to happen: its failure, its number (counted ones only) and its wait. */
export interface RetryEvent {
  error: unknown;
  decision: RetryDecision & { action: "retry after" | "retry with backoff" };
  /** Counted retries of this call so far, this one included (an uncounted retry leaves it as it was). */
  retry: number;
  waitMs: number;
  /** When the call's first failure happened (epoch ms). */
  firstFailureAt: number;
}

/** Why retrying stopped: the retry limit, or the next try would begin after `maxElapsedMs`. */
export interface GiveUpEvent {
  error: unknown;
  limit: "retries" | "time";
  /** Counted retries made. */
  retries: number;
  /** The wait the refused retry would have had (0 when the retry limit stopped it). */
  waitMs: number;
  firstFailureAt: number;
  /** Time from the first failure to the last one. */
  elapsedMs: number;
}

export interface RetryOptions {
  /** The decision for one failure (see RetryDecision); it may throw to fail with another error. */
  classify: (error: unknown) => RetryDecision;
  /** Counted retries allowed for this call. */
  retries: number;
  /** First backoff wait; doubles with each retry (default 0: retry at once). */
  minDelayMs?: number;
  /** Longest wait, whatever the backoff or the server asks (default: minDelayMs × 64). */
  maxDelayMs?: number;
  /** A retry is made only while it begins within this long of the first failure (default: no limit). */
  maxElapsedMs?: number;
  /** Told before each retry's wait (log line, counters, state to reset). */
  onRetry?: (event: RetryEvent) => void;
  /** The error to throw when a limit stops the retries (default: the last failure). */
  onGiveUp?: (event: GiveUpEvent) => unknown;
  /** Stops the waits and the retries; its reason is thrown. */
  signal?: AbortSignal;
  random?: () => number;
  now?: () => number;
}

/** Run `work` until it succeeds, a failure is classified "fail now", or a limit is reached. */
export async function withRetries<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const minMs = options.minDelayMs ?? 0;
  const maxMs = options.maxDelayMs ?? minMs * 64;
  let retry = 0;
  let firstFailureAt: number | null = null;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      return await work();
    } catch (error) {
      options.signal?.throwIfAborted();
      const decision = options.classify(error);
      if (decision.action === "fail now") throw "error" in decision ? decision.error : error;
      const at = now();
      firstFailureAt ??= at;
      const counted = decision.counted !== false;
      const waitMs = Math.min(maxMs, decision.action === "retry after" ? decision.waitMs : backoffMs(retry + 1, minMs, maxMs, options.random));
      const limit = counted && retry >= options.retries ? "retries" : at + waitMs - firstFailureAt > (options.maxElapsedMs ?? Infinity) ? "time" : null;
      if (limit !== null) {
        throw options.onGiveUp ? options.onGiveUp({ error, limit, retries: retry, waitMs: limit === "time" ? waitMs : 0, firstFailureAt, elapsedMs: at - firstFailureAt }) : error;
      }
      if (counted) retry += 1;
      options.onRetry?.({ error, decision, retry, waitMs, firstFailureAt });
      if (waitMs > 0) await sleep(waitMs, undefined, options.signal ? { signal: options.signal } : undefined);
    }
  }
}

/**
 * Backoff before retry number `retry` (1-based): `minMs × 2^(retry−1)`, at most `maxMs`, with a
 * jitter of ±25 % so that several clients do not retry in step.
 */
export function backoffMs(retry: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.max(0, retry - 1));
  return Math.min(maxMs, Math.round(base * (0.75 + random() * 0.5)));
}

/** The shortest wait `backoffMs` can return for retry number `retry` (its jitter at the low end). */
export function minBackoffMs(retry: number, minMs: number, maxMs: number): number {
  return backoffMs(retry, minMs, maxMs, () => 0);
}

/**
 * How many more backoff retries, numbered from `nextRetry` on, can still begin within
 * `remainingMs` at the least (each wait at the low end of its jitter, each request instant): an
 * upper bound on the retries a server that keeps failing alike will get. At most `limit`.
 */
export function backoffRetriesWithin(remainingMs: number, nextRetry: number, minMs: number, maxMs: number, limit: number): number {
  let count = 0;
  let spent = 0;
  while (count < limit) {
    const wait = minBackoffMs(nextRetry + count, minMs, maxMs);
    if (spent + wait > remainingMs) break;
    spent += wait;
    count += 1;
    // Waits of zero would never use the time up: the limit alone bounds them.
    if (wait === 0) return limit;
  }
  return count;
}

/** A wait for people: "350 ms", "1.5 s", "8 s", "2 min 5 s". */
export function describeWait(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 10_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 120_000) return `${Math.round(ms / 1_000)} s`;
  const s = Math.round(ms / 1_000);
  return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
}
