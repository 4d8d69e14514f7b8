/**
 * The emulated Auth0 tenant's HTTP handler: the Authentication API's `POST /oauth/token`
 * (client credentials) and the Management API's `GET /api/v2/logs` (checkpoint and search
 * modes) and `GET /api/v2/logs/{id}`, with Auth0's status codes, error bodies and rate-limit
 * headers. Fault switches (read on every request, so tests can flip them while a pull runs)
 * make the Management API answer 429s, 500s, cut a body short or answer slowly.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LogStore } from "./log-store.ts";
import { QuerySyntaxError, parseLogQuery, type LogQuery } from "./query-syntax.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { TokenIssuer } from "./tokens.ts";

/** Switches for tests. Counters ("next N") count down as they fire. */
export interface Auth0Faults {
  /** The next N Management API requests answer 429. */
  rateLimitNext: number;
  /** Every k-th Management API request (counting all of them) answers 429; 0: never. */
  rateLimitEvery: number;
  /** Seconds to send in `Retry-After` with every 429 (Auth0 sends none); null: no header. */
  retryAfterSeconds: number | null;
  /** The next N Management API requests answer 500. */
  serverErrorNext: number;
  /** The next N token requests answer 500. */
  tokenErrorNext: number;
  /** The next N successful Management API answers are cut off halfway through the body. */
  dropNext: number;
  /** Every Management API answer waits this long first (ms). */
  slowMs: number;
  /** The next N Management API requests wait `stallMs` before answering (to test timeouts). */
  stallNext: number;
  stallMs: number;
}

export const NO_FAULTS: Auth0Faults = {
  rateLimitNext: 0,
  rateLimitEvery: 0,
  retryAfterSeconds: null,
  serverErrorNext: 0,
  tokenErrorNext: 0,
  dropNext: 0,
  slowMs: 0,
  stallNext: 0,
  stallMs: 60_000,
};

export interface Auth0RequestRecord {
  /** Wall-clock time the request arrived (epoch ms). */
  at: number;
  method: string;
  /** Path and query string. */
  path: string;
  status: number;
}

export interface Auth0Stats {
  tokenRequests: number;
  tokensIssued: number;
  /** Token requests refused for bad credentials, grant or audience. */
  tokensRefused: number;
  apiRequests: number;
  /** 200 answers of /api/v2/logs (checkpoint or search). */
  pages: number;
  /** Log entries sent in those answers. */
  entriesServed: number;
  rateLimited: number;
  serverErrors: number;
  dropped: number;
  stalled: number;
  unauthorized: number;
  forbidden: number;
  badRequests: number;
  /** Every request in order (the first 20,000). */
  requests: Auth0RequestRecord[];
}

export function emptyStats(): Auth0Stats {
  return {
    tokenRequests: 0, tokensIssued: 0, tokensRefused: 0, apiRequests: 0, pages: 0, entriesServed: 0, rateLimited: 0,
    serverErrors: 0, dropped: 0, stalled: 0, unauthorized: 0, forbidden: 0, badRequests: 0, requests: [],
  };
}

export interface Auth0State {
  /** Base URL of the emulator (no trailing slash); the tenant "domain". */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Scopes granted to the client (Auth0: the client grant of the Management API). */
  scopes: readonly string[];
  tokenLifetimeSeconds: number;
  /** Retention in days (entries older than this before `now()` are gone); null: keep all. */
  retentionDays: number | null;
  now: () => number;
  log: LogStore;
  tokens: TokenIssuer;
  limiter: RateLimiter;
  faults: Auth0Faults;
  stats: Auth0Stats;
  /** Pending delays, cleared when the server closes. */
  timers: Set<{ timer: NodeJS.Timeout; resolve: () => void }>;
}

const MAX_RECORDED = 20_000;
const MAX_BODY = 1024 * 1024;
const DAY_MS = 86_400_000;
const SEARCH_CAP = 1000;
const SORTABLE = /^(date|connection|client_id|client_name|ip|user_id|user_name|description|user_agent|type|details|strategy|strategy_type):(1|-1)$/;
const FIELDS = /^(date|connection|client_id|client_name|ip|user_id|user_name|description|user_agent|type|details|strategy|strategy_type|log_id|hostname|isMobile|location_info|audience|scope)(,(date|connection|client_id|client_name|ip|user_id|user_name|description|user_agent|type|details|strategy|strategy_type|log_id|hostname|isMobile|location_info|audience|scope))*$/;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function managementError(status: number, message: string, errorCode?: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const error = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error" }[status] ?? "Error";
  return { statusCode: status, error, message, ...(errorCode ? { errorCode } : {}), ...extra };
}

function delay(state: Auth0State, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const entry = {
      timer: setTimeout(() => {
        state.timers.delete(entry);
        resolve();
      }, ms),
      resolve,
    };
    state.timers.add(entry);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function record(state: Auth0State, req: IncomingMessage, status: number, at: number): void {
  if (state.stats.requests.length < MAX_RECORDED) {
    state.stats.requests.push({ at, method: req.method ?? "", path: req.url ?? "", status });
  }
}

/** The audiences this request may use: the emulator's URL, or the host the client called it by. */
function audiences(state: Auth0State, req: IncomingMessage): string[] {
  const list = [`${state.url}/api/v2/`];
  if (req.headers.host) list.push(`http://${req.headers.host}/api/v2/`);
  return list;
}

async function handleToken(state: Auth0State, req: IncomingMessage, res: ServerResponse, at: number): Promise<void> {
  state.stats.tokenRequests += 1;
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    record(state, req, status, at);
    send(res, status, body, headers);
  };
  if (state.faults.tokenErrorNext > 0) {
    state.faults.tokenErrorNext -= 1;
    answer(500, { error: "server_error", error_description: "An unexpected error occurred" });
    return;
  }
  let params: Record<string, unknown>;
  try {
    const text = await readBody(req);
    const type = String(req.headers["content-type"] ?? "");
    params = type.includes("application/x-www-form-urlencoded")
      ? Object.fromEntries(new URLSearchParams(text))
      : (JSON.parse(text || "{}") as Record<string, unknown>);
    if (typeof params !== "object" || params === null || Array.isArray(params)) throw new Error("not an object");
  } catch {
    answer(400, { error: "invalid_request", error_description: "The request body could not be read." });
    return;
  }
  const grant = params.grant_type;
  if (grant !== "client_credentials") {
    state.stats.tokensRefused += 1;
    answer(403, { error: "unauthorized_client", error_description: `Grant type '${String(grant ?? "")}' not allowed for the client.` });
    return;
  }
  if (typeof params.client_id !== "string" || params.client_id === "" || typeof params.client_secret !== "string") {
    state.stats.tokensRefused += 1;
    answer(401, { error: "access_denied", error_description: "Unauthorized" });
    return;
  }
  if (params.client_id !== state.clientId || params.client_secret !== state.clientSecret) {
    state.stats.tokensRefused += 1;
    answer(401, { error: "access_denied", error_description: "Unauthorized" });
    return;
  }
  const audience = typeof params.audience === "string" ? params.audience : "";
  if (!audiences(state, req).includes(audience)) {
    state.stats.tokensRefused += 1;
    answer(403, { error: "access_denied", error_description: `Service not enabled within domain: ${audience}` });
    return;
  }
  const token = state.tokens.issue({
    issuer: `${state.url}/`,
    audience,
    clientId: state.clientId,
    scopes: state.scopes,
    nowMs: state.now(),
    lifetimeSeconds: state.tokenLifetimeSeconds,
  });
  state.stats.tokensIssued += 1;
  answer(200, { access_token: token, scope: state.scopes.join(" "), expires_in: state.tokenLifetimeSeconds, token_type: "Bearer" }, { "cache-control": "no-store", pragma: "no-cache" });
}

function visibility(state: Auth0State): { cutoff: number | null; now: number } {
  const now = state.now();
  return { cutoff: state.retentionDays === null ? null : now - state.retentionDays * DAY_MS, now };
}

class BadQuery extends Error {}

function intParam(params: URLSearchParams, name: string, min: number, max: number, description: string): number | null {
  const raw = params.get(name);
  if (raw === null || raw === "") return null;
  if (!/^-?\d+$/.test(raw)) throw new BadQuery(`Query validation error: 'Expected type integer but found type string' on property ${name} (${description}).`);
  const n = Number(raw);
  if (n < min) throw new BadQuery(`Query validation error: 'Number must be greater than or equal to ${min}' on property ${name} (${description}).`);
  if (n > max) throw new BadQuery(`Query validation error: 'Number must be less than or equal to ${max}' on property ${name} (${description}).`);
  return n;
}

function boolParam(params: URLSearchParams, name: string): boolean | null {
  const raw = params.get(name);
  if (raw === null || raw === "") return null;
  if (raw !== "true" && raw !== "false") throw new BadQuery(`Query validation error: 'Expected type boolean but found type string' on property ${name}.`);
  return raw === "true";
}

function project(entry: Record<string, unknown>, fields: string[] | null, include: boolean): Record<string, unknown> {
  if (fields === null) return entry;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (fields.includes(key) === include) out[key] = value;
  }
  return out;
}

type LogsAnswer = { status: 200; body: unknown; headers: Record<string, string> };

function answerLogs(state: Auth0State, url: URL): LogsAnswer {
  const params = url.searchParams;
  const v = visibility(state);
  const from = params.get("from");
  if (from !== null && from !== "") {
    // Checkpoint mode: every parameter but from and take is ignored.
    if (!/^[\w-]{1,128}$/.test(from)) throw new BadQuery("Query validation error: 'String does not match pattern' on property from (Log Event Id from which to start selection from).");
    const take = intParam(params, "take", 1, 100, "Number of entries to retrieve when using the from parameter.") ?? 50;
    const entries = state.log.after(from, take, v);
    const last = entries.length > 0 ? String(entries[entries.length - 1]!.log_id) : from;
    const next = `${state.url}/api/v2/logs?from=${encodeURIComponent(last)}&take=${take}`;
    return { status: 200, body: entries, headers: { link: `<${next}>; rel="next"` } };
  }
  const page = intParam(params, "page", 0, 1_000_000, "Page index of the results to return. First page is 0.") ?? 0;
  const perPage = intParam(params, "per_page", 0, 100, "Number of results per page. Paging is disabled if parameter not sent.") ??
    intParam(params, "take", 1, 100, "Number of entries to retrieve.") ?? 50;
  const sortText = params.get("sort") || "date:-1";
  if (!SORTABLE.test(sortText)) throw new BadQuery("Query validation error: 'String does not match pattern' on property sort (Field to use for sorting appended with `:1` for ascending and `:-1` for descending. e.g. `date:-1`).");
  const [sortField, sortDir] = sortText.split(":") as [string, string];
  const fieldsText = params.get("fields");
  if (fieldsText !== null && fieldsText !== "" && !FIELDS.test(fieldsText)) throw new BadQuery("Query validation error: 'String does not match pattern' on property fields (Comma-separated list of fields to include or exclude).");
  const includeFields = boolParam(params, "include_fields") ?? true;
  const includeTotals = boolParam(params, "include_totals") ?? false;
  if (perPage > 0 && page * perPage >= SEARCH_CAP) {
    throw new BadQuery(`You can only page through the first ${SEARCH_CAP} records. Narrow the search, or use checkpoint paging (from, take) to read more.`);
  }
  let query: LogQuery | null = null;
  const q = params.get("q");
  if (q !== null && q.trim() !== "") {
    try {
      query = parseLogQuery(q);
    } catch (error) {
      if (error instanceof QuerySyntaxError) throw new BadQuery(`Invalid query string: ${error.message}.`);
      throw error;
    }
  }
  const { total, ordered } = state.log.search({ query, sort: { field: sortField, direction: sortDir === "1" ? 1 : -1 } }, v);
  const start = page * perPage;
  const end = Math.min(start + perPage, SEARCH_CAP, ordered.length);
  const fields = fieldsText ? fieldsText.split(",") : null;
  const logs = ordered.slice(start, Math.max(start, end)).map((e) => project(e, fields, includeFields));
  if (includeTotals) return { status: 200, body: { start, limit: perPage, length: logs.length, total, logs }, headers: {} };
  return { status: 200, body: logs, headers: {} };
}

/** Write a 200 answer but cut the connection halfway through the body. */
function sendCut(res: ServerResponse, body: unknown, headers: Record<string, string>): void {
  const text = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": String(text.length), ...headers });
  res.write(text.subarray(0, Math.max(1, Math.floor(text.length / 2))), () => {
    res.socket?.destroy();
  });
}

async function handleApi(state: Auth0State, req: IncomingMessage, res: ServerResponse, url: URL, at: number): Promise<void> {
  const { faults, stats } = state;
  stats.apiRequests += 1;
  const n = stats.apiRequests;
  const answer = (code: number, body: unknown, headers: Record<string, string> = {}) => {
    record(state, req, code, at);
    if (!res.destroyed) send(res, code, body, headers);
  };
  if (faults.stallNext > 0) {
    faults.stallNext -= 1;
    stats.stalled += 1;
    await delay(state, faults.stallMs);
  }
  if (faults.slowMs > 0) await delay(state, faults.slowMs);
  if (res.destroyed || req.destroyed) {
    record(state, req, 0, at);
    return;
  }
  const rateLimitedByFault = faults.rateLimitNext > 0 || (faults.rateLimitEvery > 0 && n % faults.rateLimitEvery === 0);
  if (rateLimitedByFault) {
    if (faults.rateLimitNext > 0) faults.rateLimitNext -= 1;
    stats.rateLimited += 1;
    const headers = state.limiter.refusalHeaders();
    if (faults.retryAfterSeconds !== null) headers["retry-after"] = String(faults.retryAfterSeconds);
    answer(429, managementError(429, "Global limit has been reached", "too_many_requests"), headers);
    return;
  }
  if (faults.serverErrorNext > 0) {
    faults.serverErrorNext -= 1;
    stats.serverErrors += 1;
    answer(500, managementError(500, "Internal Server Error"));
    return;
  }
  const check = state.tokens.check(req.headers.authorization, audiences(state, req), state.now());
  if (!check.ok) {
    stats.unauthorized += 1;
    const message = check.reason === "missing" ? "Missing authentication" : check.reason === "expired" ? "Expired token received for JSON Web Token validation" : "Invalid token";
    answer(401, managementError(401, message, undefined, check.reason === "missing" ? {} : { attributes: { error: message } }), { "www-authenticate": `Bearer realm="${state.url}/api/v2/"` });
    return;
  }
  const rate = state.limiter.take();
  if (rate && !rate.allowed) {
    stats.rateLimited += 1;
    const headers = { ...rate.headers };
    if (faults.retryAfterSeconds !== null) headers["retry-after"] = String(faults.retryAfterSeconds);
    answer(429, managementError(429, "Global limit has been reached", "too_many_requests"), headers);
    return;
  }
  const rateHeaders = rate?.headers ?? {};
  const scopes = check.claims.scope.split(" ");
  if (req.method !== "GET") {
    answer(404, managementError(404, "Not Found"), rateHeaders);
    return;
  }
  const single = /^\/api\/v2\/logs\/([^/]+)$/.exec(url.pathname);
  if (url.pathname !== "/api/v2/logs" && !single) {
    answer(404, managementError(404, "Not Found"), rateHeaders);
    return;
  }
  if (!scopes.includes("read:logs")) {
    stats.forbidden += 1;
    answer(403, managementError(403, "Insufficient scope, expected any of: read:logs", "insufficient_scope"), rateHeaders);
    return;
  }
  if (single) {
    const entry = state.log.get(decodeURIComponent(single[1]!), visibility(state));
    if (!entry) answer(404, managementError(404, "log not found", "inexistent_log"), rateHeaders);
    else answer(200, entry, rateHeaders);
    return;
  }
  let result: LogsAnswer;
  try {
    result = answerLogs(state, url);
  } catch (error) {
    if (!(error instanceof BadQuery)) throw error;
    stats.badRequests += 1;
    answer(400, managementError(400, error.message, "invalid_query_string"), rateHeaders);
    return;
  }
  stats.pages += 1;
  const count = Array.isArray(result.body) ? result.body.length : ((result.body as { logs: unknown[] }).logs.length);
  const headers = { ...rateHeaders, ...result.headers };
  if (faults.dropNext > 0) {
    faults.dropNext -= 1;
    stats.dropped += 1;
    record(state, req, 200, at);
    sendCut(res, result.body, headers);
    return;
  }
  stats.entriesServed += count;
  answer(200, result.body, headers);
}

/** The request handler for `state`. */
export function createHandler(state: Auth0State): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const at = Date.now();
    const url = new URL(req.url ?? "/", state.url);
    const work =
      req.method === "POST" && url.pathname === "/oauth/token"
        ? handleToken(state, req, res, at)
        : url.pathname.startsWith("/api/v2/")
          ? handleApi(state, req, res, url, at)
          : Promise.resolve().then(() => {
              record(state, req, 404, at);
              send(res, 404, managementError(404, "Not Found"));
            });
    work.catch((error: unknown) => {
      record(state, req, 500, at);
      if (!res.headersSent && !res.destroyed) send(res, 500, managementError(500, (error as Error).message));
      else res.destroy();
    });
  };
}
