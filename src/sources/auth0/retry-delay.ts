/**
 * How long to wait before the next request: what the server asks for (`Retry-After` in seconds
 * or as an HTTP date; Auth0's `X-RateLimit-Reset` in epoch seconds), else exponential backoff.
 */

/** Milliseconds the server asks us to wait, from `Retry-After` or `X-RateLimit-Reset`; null when neither says. */
export function serverWaitMs(headers: Headers, nowMs: number = Date.now()): number | null {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const text = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  const reset = rateLimitResetMs(headers);
  if (reset !== null) return Math.max(0, reset - nowMs);
  return null;
}

/** `X-RateLimit-Reset` as epoch milliseconds, or null when absent or unreadable. */
export function rateLimitResetMs(headers: Headers): number | null {
  const reset = headers.get("x-ratelimit-reset");
  if (reset === null || !/^\d+(\.\d+)?$/.test(reset.trim())) return null;
  return Math.round(Number(reset.trim()) * 1000);
}

/** `X-RateLimit-Remaining` as a number, or null. */
export function rateLimitRemaining(headers: Headers): number | null {
  const remaining = headers.get("x-ratelimit-remaining");
  if (remaining === null || !/^\d+$/.test(remaining.trim())) return null;
  return Number(remaining.trim());
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
  return Math.min(maxMs, Math.round(Math.min(maxMs, minMs * 2 ** Math.max(0, retry - 1)) * 0.75));
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
    // Waits of zero would never use the time up: the budget alone bounds them.
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
