/**
 * How long the server asks to wait before the next request: `Retry-After` in seconds or as an
 * HTTP date, Auth0's `X-RateLimit-Reset` in epoch seconds. The backoff used when it says nothing
 * is core's (src/core/retry.ts).
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
