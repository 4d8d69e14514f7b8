/**
 * The transport to one Auth0 tenant's Management API, on `fetch`: a client-credentials token
 * (cached until shortly before it expires, and fetched afresh once when the API answers 401),
 * a timeout on every request (body included), pacing on `X-RateLimit-Remaining: 0`, and retries
 * through core's withRetries: with backoff, or as long as `Retry-After` or `X-RateLimit-Reset` ask.
 * Each retry is logged as it happens, at warn level, in one sentence: host, step, what failed
 * and when the next try comes ("retry 3 of at most 7 in 8 s"). A request gives up when its next
 * try would begin later than `maxRetryWaitMs` after its first failure (so a server that keeps
 * answering 500 costs minutes, not an hour), and retries come out of one budget per client (one
 * pull); either way the client throws a SourceError naming the domain, the step, the last status
 * and which limit was reached. Refused credentials,
 * a missing scope and other 4xx answers are not retried. The client secret and the access
 * token never appear in an error or a log line (they are registered for redaction as well).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { SourceError } from "../../core/errors.ts";
import { backoffRetriesWithin, describeWait, withRetries, type GiveUpEvent, type RetryDecision, type RetryEvent } from "../../core/retry.ts";
import { registerSecret } from "../../core/secrets.ts";
import type { Logger } from "../../core/logger.ts";
import { auth0BaseUrl, auth0Host, managementAudience } from "./domain.ts";
import { rateLimitRemaining, rateLimitResetMs, serverWaitMs } from "./retry-delay.ts";

export interface Auth0ClientOptions {
  /** AUTH0_DOMAIN: a bare domain (https is assumed) or a full URL. */
  domain: string;
  clientId: string;
  clientSecret: string;
  /** Retries allowed over the client's life (AUTH0_RETRY_BUDGET). */
  retryBudget: number;
  /** Time allowed for one request, answer body included (default 30 s). */
  requestTimeoutMs?: number;
  /** First backoff delay (default 1 s); doubles with each retry. */
  minRetryDelayMs?: number;
  /** Longest wait before a retry or a paced request, whatever the server asks (default 60 s). */
  maxRetryDelayMs?: number;
  /**
   * A request is retried only while its next try begins within this long of its first failure
   * (AUTH0_MAX_RETRY_WAIT_SECONDS; default 150 s); a success starts the count afresh.
   */
  maxRetryWaitMs?: number;
  /** A cached token is renewed this long before it expires (default 60 s; at most half its life). */
  tokenRefreshMarginMs?: number;
  log?: Logger;
  signal?: AbortSignal;
  /** Counters to add to: requests, retries, rateLimited, tokens (the collect context's stats). */
  stats?: Record<string, number>;
  fetch?: typeof fetch;
}

/** One page of `GET /api/v2/logs` in checkpoint mode. */
export interface LogsPage {
  /** The URL that was read. */
  url: string;
  entries: Record<string, unknown>[];
  /** The `rel="next"` URL of the Link header, or null when there was none. */
  next: string | null;
}

export interface SearchParams {
  q?: string;
  sort?: string;
  page?: number;
  perPage?: number;
}

/**
 * A failed request: its step, the HTTP status (null for a transport failure), how long the server
 * asked to wait, and `failure`, what went wrong in a few words ("HTTP 500 Internal Server Error",
 * "timeout (no complete answer within 30 s)") for the retry lines.
 */
export class Auth0RequestError extends SourceError {
  readonly status: number | null;
  readonly waitMs: number | null;
  readonly step: string;
  readonly failure: string;
  constructor(code: string, message: string, options: { step: string; host: string; status: number | null; waitMs?: number | null; retryable: boolean; cause?: unknown; failure?: string }) {
    super(code, message, {
      retryable: options.retryable,
      cause: options.cause,
      details: { source: "auth0", domain: options.host, step: options.step, status: options.status },
    });
    this.status = options.status;
    this.waitMs = options.waitMs ?? null;
    this.step = options.step;
    this.failure = options.failure ?? (options.status === null ? code : `HTTP ${options.status}`);
  }
}

interface RawAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

/** The `rel="next"` target of a Link header, or null. */
export function parseNextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2]!)) return match[1]!;
  }
  return null;
}

/** A short, single-line description of an Auth0 error body (its message or error_description). */
function describeBody(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const parts = [body.error, body.error_description ?? body.message, body.errorCode].filter((p): p is string => typeof p === "string" && p !== "");
    if (parts.length > 0) return parts.join(": ").replace(/\s+/g, " ").slice(0, 200);
  } catch {
    // not JSON: fall through
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 120);
}

export class Auth0Client {
  readonly baseUrl: string;
  readonly host: string;
  private readonly audience: string;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly budget: number;
  private retriesUsed = 0;
  private readonly timeoutMs: number;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryWaitMs: number;
  private readonly marginMs: number;
  private readonly log: Logger | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly stats: Record<string, number>;
  private readonly fetchImpl: typeof fetch;
  private token: { value: string; renewAt: number } | null = null;
  /** No request before this instant (epoch ms): the rate-limit window is used up. */
  private notBefore = 0;

  constructor(options: Auth0ClientOptions) {
    this.baseUrl = auth0BaseUrl(options.domain);
    this.host = auth0Host(this.baseUrl);
    this.audience = managementAudience(this.baseUrl);
    this.clientId = options.clientId;
    this.clientSecret = options.clientSecret;
    registerSecret(options.clientSecret);
    this.budget = Math.max(0, Math.floor(options.retryBudget));
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.minDelayMs = options.minRetryDelayMs ?? 1_000;
    this.maxDelayMs = options.maxRetryDelayMs ?? 60_000;
    this.maxRetryWaitMs = Math.max(0, options.maxRetryWaitMs ?? 150_000);
    this.marginMs = options.tokenRefreshMarginMs ?? 60_000;
    this.log = options.log;
    this.signal = options.signal;
    this.stats = options.stats ?? {};
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Retries still allowed. */
  get retriesLeft(): number {
    return this.budget - this.retriesUsed;
  }

  /** Retries spent so far. */
  get retries(): number {
    return this.retriesUsed;
  }

  /** The checkpoint URL of the `take` entries after `from`. */
  checkpointUrl(from: string, take = 100): string {
    return `${this.baseUrl}/api/v2/logs?${new URLSearchParams({ from, take: String(take) })}`;
  }

  /** Whether `url` is this tenant's logs endpoint (a Link target we may send the token to). */
  isLogsUrl(url: string): boolean {
    try {
      const target = new URL(url);
      const base = new URL(`${this.baseUrl}/api/v2/logs`);
      return target.origin === base.origin && target.pathname === base.pathname;
    } catch {
      return false;
    }
  }

  /** Read one checkpoint page (`url` from checkpointUrl or a Link header). */
  async fetchLogs(url: string, step: string): Promise<LogsPage> {
    const answer = await this.call(step, url);
    const body = this.parseJson(step, answer);
    if (!Array.isArray(body)) throw this.badResponse(step, answer.status, "the answer is not a JSON array of log entries");
    const entries = body.filter((e): e is Record<string, unknown> => typeof e === "object" && e !== null && !Array.isArray(e));
    if (entries.length !== body.length) throw this.badResponse(step, answer.status, "an entry of the answer is not a JSON object");
    return { url, entries, next: parseNextLink(answer.headers.get("link")) };
  }

  /** Search mode: one page of entries matching `q` (Auth0 allows paging through the first 1,000 only). */
  async searchLogs(params: SearchParams, step = "log search"): Promise<Record<string, unknown>[]> {
    const query = new URLSearchParams();
    if (params.q !== undefined) query.set("q", params.q);
    if (params.sort !== undefined) query.set("sort", params.sort);
    query.set("page", String(params.page ?? 0));
    query.set("per_page", String(params.perPage ?? 50));
    const answer = await this.call(step, `${this.baseUrl}/api/v2/logs?${query}`);
    const body = this.parseJson(step, answer);
    const list = Array.isArray(body) ? body : typeof body === "object" && body !== null && Array.isArray((body as { logs?: unknown }).logs) ? (body as { logs: unknown[] }).logs : null;
    if (list === null) throw this.badResponse(step, answer.status, "the answer is not a list of log entries");
    return list.filter((e): e is Record<string, unknown> => typeof e === "object" && e !== null && !Array.isArray(e));
  }

  /** The oldest retained entry dated at or after `at` (search mode, by date ascending), or null. */
  async firstLogAtOrAfter(at: Date): Promise<Record<string, unknown> | null> {
    const entries = await this.searchLogs({ q: `date:[${at.toISOString()} TO *]`, sort: "date:1", page: 0, perPage: 1 }, `search for the first entry since ${at.toISOString()}`);
    return entries[0] ?? null;
  }

  // ---- transport ------------------------------------------------------------------------

  private parseJson(step: string, answer: RawAnswer): unknown {
    try {
      return JSON.parse(answer.text);
    } catch {
      throw this.badResponse(step, answer.status, "the answer is not JSON (cut short?)");
    }
  }

  private badResponse(step: string, status: number, what: string): Auth0RequestError {
    // A garbled answer is most often a cut connection or a proxy's error page: worth retrying.
    return new Auth0RequestError("E_AUTH0_RESPONSE", `Auth0 ${this.host}: ${step}: ${what} (HTTP ${status}).`, { step, host: this.host, status, retryable: true, failure: `unreadable answer (HTTP ${status})` });
  }

  /** One GET or POST with the timeout covering the body; transport failures become retryable errors. */
  private async send(step: string, url: string, init: RequestInit): Promise<RawAnswer> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
    this.stats.requests = (this.stats.requests ?? 0) + 1;
    try {
      const response = await this.fetchImpl(url, { ...init, signal, redirect: "error" });
      const text = await response.text();
      return { status: response.status, statusText: response.statusText, headers: response.headers, text };
    } catch (error) {
      if (this.signal?.aborted) throw this.signal.reason instanceof Error ? this.signal.reason : new Error("aborted");
      const timedOut = timeout.aborted;
      const reason = timedOut ? `no complete answer within ${this.timeoutMs} ms` : `the connection failed (${describeCause(error)})`;
      const failure = timedOut ? `timeout (no complete answer within ${describeWait(this.timeoutMs)})` : `connection failed (${networkCode(error)})`;
      throw new Auth0RequestError(timedOut ? "E_AUTH0_TIMEOUT" : "E_AUTH0_NETWORK", `Auth0 ${this.host}: ${step}: ${reason}.`, { step, host: this.host, status: null, retryable: true, cause: error, failure });
    }
  }

  /** An access token, from the cache or from `POST /oauth/token`. */
  private async accessToken(step: string): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return this.token.value;
    this.token = null;
    const tokenStep = `token request (for ${step})`;
    this.stats.tokens = (this.stats.tokens ?? 0) + 1;
    const answer = await this.send(tokenStep, `${this.baseUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: this.clientId, client_secret: this.clientSecret, audience: this.audience }),
    });
    if (answer.status === 401 || answer.status === 403) {
      throw new Auth0RequestError(
        "E_AUTH0_CREDENTIALS",
        `Auth0 ${this.host}: token request: HTTP ${answer.status} (${describeBody(answer.text)}): the client credentials or the audience ${this.audience} were refused; check AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET and AUTH0_DOMAIN.`,
        { step: "token request", host: this.host, status: answer.status, retryable: false },
      );
    }
    if (answer.status < 200 || answer.status >= 300) throw this.httpError(tokenStep, answer);
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(answer.text) as typeof body;
    } catch {
      throw this.badResponse(tokenStep, answer.status, "the token answer is not JSON");
    }
    if (typeof body.access_token !== "string" || body.access_token === "") throw this.badResponse(tokenStep, answer.status, "the token answer has no access_token");
    registerSecret(body.access_token);
    const lifetimeMs = (typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 86_400) * 1000;
    this.token = { value: body.access_token, renewAt: Date.now() + lifetimeMs - Math.min(this.marginMs, lifetimeMs / 2) };
    return this.token.value;
  }

  /** The error for a non-2xx answer: 408, 429 and 5xx are retryable; other statuses are not. */
  private httpError(step: string, answer: RawAnswer): Auth0RequestError {
    const retryable = answer.status === 408 || answer.status === 429 || answer.status >= 500;
    const failure = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ""}`;
    const what = `${failure} (${describeBody(answer.text)})`;
    if (answer.status === 429) this.stats.rateLimited = (this.stats.rateLimited ?? 0) + 1;
    if (answer.status === 403) {
      return new Auth0RequestError("E_AUTH0_FORBIDDEN", `Auth0 ${this.host}: ${step}: ${what}: grant the application the read:logs scope of the Management API.`, { step, host: this.host, status: 403, retryable: false });
    }
    return new Auth0RequestError(retryable ? "E_AUTH0_HTTP" : "E_AUTH0_REFUSED", `Auth0 ${this.host}: ${step}: ${what}.`, {
      step,
      host: this.host,
      status: answer.status,
      waitMs: retryable ? serverWaitMs(answer.headers) : null,
      retryable,
      failure,
    });
  }

  /** Remember a used-up rate-limit window so that the next request waits for its reset. */
  private notePacing(headers: Headers): void {
    if (rateLimitRemaining(headers) === 0) {
      const reset = rateLimitResetMs(headers);
      if (reset !== null) this.notBefore = Math.min(reset, Date.now() + this.maxDelayMs);
    }
  }

  private async pace(): Promise<void> {
    const wait = this.notBefore - Date.now();
    if (wait > 0) await sleep(wait, undefined, this.signal ? { signal: this.signal } : undefined);
  }

  /**
   * GET `url` with a token; returns the 2xx answer. A retryable failure is retried, each retry
   * logged, while the pull's budget lasts and the next try begins within `maxRetryWaitMs` of the
   * request's first failure; then the client gives up (E_AUTH0_GAVE_UP) saying which limit.
   */
  private async call(step: string, url: string): Promise<RawAnswer> {
    return withRetries(() => this.tryOnce(step, url), {
      classify: retryDecision,
      retries: this.retriesLeft,
      minDelayMs: this.minDelayMs,
      maxDelayMs: this.maxDelayMs,
      maxElapsedMs: this.maxRetryWaitMs,
      onRetry: (event) => this.noteRetry(event),
      onGiveUp: (event) => this.gaveUp(event),
      ...(this.signal ? { signal: this.signal } : {}),
    });
  }

  /** One try of a GET: a token, the request, and one fresh token when the API answers 401. */
  private async tryOnce(step: string, url: string): Promise<RawAnswer> {
    await this.pace();
    let answer = await this.send(step, url, { headers: { authorization: `Bearer ${await this.accessToken(step)}`, accept: "application/json" } });
    if (answer.status === 401) {
      // Expired or revoked: one fresh token, once. A second 401 is not a token age problem.
      this.token = null;
      answer = await this.send(step, url, { headers: { authorization: `Bearer ${await this.accessToken(step)}`, accept: "application/json" } });
      if (answer.status === 401) {
        throw new Auth0RequestError("E_AUTH0_UNAUTHORIZED", `Auth0 ${this.host}: ${step}: HTTP 401 (${describeBody(answer.text)}) even with a fresh access token.`, { step, host: this.host, status: 401, retryable: false });
      }
    }
    this.notePacing(answer.headers);
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw this.httpError(step, answer);
  }

  /** Count a retry and log it in one sentence: what failed, which retry, and when. */
  private noteRetry({ error, retry, waitMs, firstFailureAt }: RetryEvent): void {
    const failed = error as Auth0RequestError;
    this.retriesUsed += 1;
    this.stats.retries = (this.stats.retries ?? 0) + 1;
    // An upper bound told to the user: while the server fails alike (no wait of its own),
    // backoff waits at their shortest; a server-given wait can be any length, so only the budget bounds it.
    const remainingMs = firstFailureAt + this.maxRetryWaitMs - Date.now() - waitMs;
    const more = failed.waitMs === null ? backoffRetriesWithin(remainingMs, retry + 1, this.minDelayMs, this.maxDelayMs, this.retriesLeft) : this.retriesLeft;
    this.log?.warn(
      { host: this.host, step: failed.step, status: failed.status, code: failed.code, retry, maxRetries: retry + more, waitMs, retriesLeft: this.retriesLeft },
      `Auth0 ${this.host}: ${failed.step}: ${failed.failure}; retry ${retry} of at most ${retry + more} in ${describeWait(waitMs)}`,
    );
  }

  /** The error when a request gives up: the step, the retries made, the limit reached and the last status. */
  private gaveUp({ error, limit, retries, waitMs, elapsedMs }: GiveUpEvent): SourceError {
    const failed = error as Auth0RequestError;
    const asked = failed.waitMs !== null ? `the server asked to wait ${describeWait(waitMs)}, ` : "";
    const reason =
      limit === "time"
        ? `AUTH0_MAX_RETRY_WAIT_SECONDS=${this.maxRetryWaitMs / 1000} reached: ${asked}the next retry would begin ${describeWait(elapsedMs + waitMs)} after the first failure`
        : `AUTH0_RETRY_BUDGET ${this.budget} spent`;
    const status = failed.status === null ? `no answer (${failed.code === "E_AUTH0_TIMEOUT" ? "timeout" : "connection failed"})` : `HTTP ${failed.status}`;
    // A request that met an empty budget at once spent no time retrying.
    const spent = limit === "retries" && retries === 0 ? "" : ` over ${describeWait(elapsedMs)}`;
    return new SourceError(
      "E_AUTH0_GAVE_UP",
      `Auth0 ${this.host}: gave up at ${failed.step} after ${retries} ${retries === 1 ? "retry" : "retries"}${spent} (${reason}); last status: ${status}. ${failed.message}`,
      { cause: failed, retryable: true, details: { source: "auth0", domain: this.host, step: failed.step, status: failed.status, retries } },
    );
  }
}

/** Auth0's classification: what the server asked to wait for (429, 503 with Retry-After), backoff for other retryable failures, else fail. */
function retryDecision(error: unknown): RetryDecision {
  if (!(error instanceof Auth0RequestError) || !error.retryable) return { action: "fail now" };
  return error.waitMs !== null ? { action: "retry after", waitMs: error.waitMs } : { action: "retry with backoff" };
}

/** The error code of a failed connection (ECONNREFUSED, ENOTFOUND…), else its first message. */
function networkCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 3; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code !== "") return code;
    current = current.cause;
  }
  return error instanceof Error ? error.message.split("\n")[0]!.slice(0, 80) : String(error).slice(0, 80);
}

function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 3; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    parts.push(code ? `${current.message} [${code}]` : current.message);
    current = current.cause;
  }
  return parts.join(": ") || String(error);
}
