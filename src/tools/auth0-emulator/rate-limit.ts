/**
 * The Management API's rate limit as the emulator applies it: a number of requests per second
 * of wall-clock time (the free plan allows about 2), with the headers Auth0 sends on every
 * answer. It runs on real time, not the emulator's injectable clock, because clients compare
 * `X-RateLimit-Reset` with their own clock to know how long to wait.
 */

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private window = -1;
  private count = 0;

  /** `perSecond`: requests allowed per second; null: no limit (no headers either). */
  constructor(public perSecond: number | null, private readonly wallClock: () => number = Date.now) {}

  /** Count one request and say whether it may proceed, with the X-RateLimit-* headers. */
  take(): RateDecision | null {
    if (this.perSecond === null) return null;
    const now = this.wallClock();
    const window = Math.floor(now / 1000);
    if (window !== this.window) {
      this.window = window;
      this.count = 0;
    }
    this.count += 1;
    const limit = this.perSecond;
    const allowed = this.count <= limit;
    return {
      allowed,
      headers: {
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": String(Math.max(0, limit - this.count)),
        "x-ratelimit-reset": String(window + 1),
      },
    };
  }

  /** Headers of a refusal that is not this limiter's (an injected fault): nothing left until the next second. */
  refusalHeaders(): Record<string, string> {
    const window = Math.floor(this.wallClock() / 1000);
    return {
      "x-ratelimit-limit": String(this.perSecond ?? 50),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(window + 1),
    };
  }
}
