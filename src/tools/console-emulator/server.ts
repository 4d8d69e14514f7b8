/**
 * The emulated console's HTTP handler (node:http): login flow, pages and the CSV download, with
 * the switches tests use to make it misbehave. See ./index.ts for the contract.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { keyOf, translateCell, type AuditLog, type ConsoleLang } from "./audit-log.ts";
import { consoleCsvChunks } from "./csv-writer.ts";
import { acceptedStep, addressAllowed, consoleTotp, sourceAddress } from "./access.ts";
import {
  addressRefusedPage, adminPage, auditPage, errorPage, labels, loginPage, loginScript, placeholderPage, portalPage, samlPage, scriptRedirectToLogin, type Namer,
} from "./pages.ts";
import { PRE_LOGIN_COOKIE, SESSION_COOKIE, type Session, type SessionStore } from "./sessions.ts";

/** Behaviours tests switch on to see how the scraper copes. They may be changed while running. */
export interface ConsoleSwitches {
  /** Reject every password, as after a password change. */
  rejectPasswords: boolean;
  /** An element id/name (e.g. "auditlog-search", "password") that the pages rename: "the page changed". */
  renameElement: string | null;
  /** Delay the audit log page by this many milliseconds. */
  slowMs: number;
  /** Fail this many of the next downloads (cut off mid-transfer); Infinity fails every one. */
  failDownloads: number;
  /** After this many more completed downloads every session expires (once), as if they timed out. */
  expireSessionsAfterDownloads: number | null;
}

export interface ConsoleState {
  user: string;
  password: string;
  lang: ConsoleLang;
  saml: boolean;
  downloadCap: number;
  tableRows: number;
  /** How many days back a download may reach, and the oldest local day (YYYY-MM-DD) it may start on; null: no limit. */
  downloadWindow: { days: number; oldestDay: string } | null;
  log: AuditLog;
  sessions: SessionStore;
  switches: ConsoleSwitches;
  stats: ConsoleStats;
  /** Two-factor authentication: the administrator's TOTP secret (base32); null: off. */
  totpSecret: string | null;
  /** IP address restriction: the source addresses allowed; null: any. */
  allowedAddresses: string[] | null;
}

export interface ConsoleStats {
  logins: number;
  failedLogins: number;
  /** Verification codes (two-factor authentication) refused. */
  failedCodes: number;
  /** Requests refused by the IP address restriction (the browser's own favicon requests not counted). */
  refusedAddresses: number;
  /** TLS handshakes refused for a missing or unknown client certificate (Secure Access). */
  refusedHandshakes: number;
  badRequests: number;
  pages: number;
  downloads: number;
  failedDownloads: number;
  /** Rows sent in completed downloads. */
  rowsDownloaded: number;
}

const MAX_BODY = 64 * 1024;

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", "X-Frame-Options": "DENY", ...headers });
  res.end(body);
}

const html = (res: ServerResponse, body: string, status = 200, headers: Record<string, string | string[]> = {}) =>
  send(res, status, "text/html; charset=UTF-8", body, headers);
const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, "application/json; charset=UTF-8", JSON.stringify(value));

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SAME_SITE = "http://console.invalid";

/**
 * Only same-site paths may be redirected to. Browsers drop tabs and line breaks from a URL and
 * read a backslash as a slash, so `/\t/evil.example/` would leave the site: a path with any of
 * them, or that resolves to another origin, goes to "/".
 */
function safeRedirect(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || /[\u0000-\u0020\u007f\\]/.test(value)) return "/";
  const url = new URL(value, SAME_SITE);
  return url.origin === SAME_SITE ? `${url.pathname}${url.search}${url.hash}` : "/";
}

/** A JSON object body, else null. */
function jsonObject(body: string | null): Record<string, unknown> | null {
  try {
    const parsed: unknown = body === null ? null : JSON.parse(body);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function keyToDate(key: number): { date: string; time: string } {
  const s = String(key).padStart(14, "0");
  return { date: `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`, time: `${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}` };
}

/** The request handler of an emulated console holding `state`. */
export function createHandler(state: ConsoleState): (req: IncomingMessage, res: ServerResponse) => void {
  const name: Namer = (n) => (state.switches.renameElement === n ? `${n}-renamed` : n);
  const l = () => labels(state.lang);
  const totp = state.totpSecret === null ? null : consoleTotp(state.totpSecret);
  /** The time step of the last code accepted: each code is accepted once. */
  let lastCodeStep: number | null = null;

  const badRequest = (res: ServerResponse) => {
    state.stats.badRequests++;
    html(res, errorPage(state.lang, "CB_IL02", l().badRequest), 400);
  };

  function currentSession(req: IncomingMessage): Session | null {
    return state.sessions.session(cookies(req)[SESSION_COOKIE]);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(`http://console.invalid${(req.url ?? "/").startsWith("/") ? req.url : "/"}`);
    const path = url.pathname;
    const method = req.method ?? "GET";

    if (!addressAllowed(req, state.allowedAddresses)) {
      if (path !== "/favicon.ico") state.stats.refusedAddresses++;
      html(res, addressRefusedPage(state.lang, sourceAddress(req)), 403);
      return;
    }
    if (method === "GET" && path === "/login") {
      if (state.saml && url.searchParams.get("saml") !== "off") {
        html(res, samlPage(state.lang));
        return;
      }
      const pre = state.sessions.startPreLogin();
      html(res, loginPage(state.lang, pre.token, safeRedirect(url.searchParams.get("redirect"))), 200, {
        "Set-Cookie": `${PRE_LOGIN_COOKIE}=${pre.cookie}; Path=/; HttpOnly; SameSite=Lax`,
      });
      return;
    }
    if (method === "GET" && path === "/static/js/login.js") {
      send(res, 200, "application/javascript; charset=UTF-8", loginScript(name));
      return;
    }
    if (path === "/api/auth/login.json") {
      const payload = method === "POST" ? jsonObject(await readBody(req)) : null;
      const preCookie = cookies(req)[PRE_LOGIN_COOKIE];
      const pre = payload ? state.sessions.checkPreLogin(preCookie, payload.__REQUEST_TOKEN__) : null;
      if (!payload || !pre) {
        state.stats.badRequests++;
        json(res, 400, { success: false, code: "CB_IL02", errorCode: "CB_IL02", message: l().badRequest });
        return;
      }
      const ok = !state.switches.rejectPasswords && sameSecret(payload.username, state.user) && sameSecret(payload.password, state.password);
      if (!ok) {
        state.stats.failedLogins++;
        json(res, 401, { success: false, code: "CB_WA01", errorCode: "CB_WA01", message: l().badLogin });
        return;
      }
      if (totp) {
        pre.passwordUser = state.user;
        json(res, 200, { result: { redirect: safeRedirect(payload.redirect), verification: "totp" }, success: true });
        return;
      }
      pre.authenticatedUser = state.user;
      json(res, 200, { result: { redirect: safeRedirect(payload.redirect) }, success: true });
      return;
    }
    if (path === "/api/auth/totp.json") {
      const payload = method === "POST" ? jsonObject(await readBody(req)) : null;
      const pre = payload ? state.sessions.checkPreLogin(cookies(req)[PRE_LOGIN_COOKIE], payload.__REQUEST_TOKEN__) : null;
      if (!totp || !payload || !pre || !pre.passwordUser) {
        state.stats.badRequests++;
        json(res, 400, { success: false, code: "CB_IL02", errorCode: "CB_IL02", message: l().badRequest });
        return;
      }
      const step = acceptedStep(totp, payload.code, lastCodeStep);
      if (step === null) {
        state.stats.failedCodes++;
        json(res, 401, { success: false, code: "CB_WA01", errorCode: "CB_WA01", message: l().badCode });
        return;
      }
      lastCodeStep = step;
      pre.authenticatedUser = pre.passwordUser;
      json(res, 200, { result: {}, success: true });
      return;
    }
    if (path === "/api/auth/redirect.do") {
      const body = method === "POST" ? await readBody(req) : null;
      const form = new URLSearchParams(body ?? "");
      const preCookie = cookies(req)[PRE_LOGIN_COOKIE];
      const pre = body === null ? null : state.sessions.checkPreLogin(preCookie, form.get("__REQUEST_TOKEN__"));
      if (!pre || !pre.authenticatedUser || !preCookie) {
        badRequest(res);
        return;
      }
      const session = state.sessions.createSession(preCookie, pre.authenticatedUser);
      state.stats.logins++;
      res.writeHead(302, {
        Location: safeRedirect(form.get("redirect")),
        "Set-Cookie": [
          `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax`,
          `${PRE_LOGIN_COOKIE}=; Path=/; Max-Age=0`,
        ],
        "Cache-Control": "no-store",
      });
      res.end();
      return;
    }
    if (method === "GET" && path === "/logout") {
      state.sessions.end(cookies(req)[SESSION_COOKIE]);
      res.writeHead(302, { Location: "/login", "Set-Cookie": `${SESSION_COOKIE}=; Path=/; Max-Age=0` });
      res.end();
      return;
    }
    if (path === "/admin/auditlog/download") {
      await download(req, res, method);
      return;
    }

    const pages: Record<string, (session: Session) => string> = {
      "/": (s) => portalPage(state.lang, s.user, name),
      "/k/": (s) => placeholderPage(state.lang, s.user, "kintone", name),
      "/admin/": (s) => adminPage(state.lang, s.user, name),
      "/admin/users/": (s) => placeholderPage(state.lang, s.user, l().users, name),
      "/admin/security/": (s) => placeholderPage(state.lang, s.user, l().security, name),
      "/admin/auditlog/": (s) => auditLogPage(url, s),
    };
    const page = pages[path];
    if (method === "GET" && page) {
      const session = currentSession(req);
      if (!session) {
        html(res, scriptRedirectToLogin(null));
        return;
      }
      if (state.switches.slowMs > 0 && path === "/admin/auditlog/") await delay(state.switches.slowMs);
      state.stats.pages++;
      html(res, page(session));
      return;
    }
    html(res, errorPage(state.lang, "404", "Not Found"), 404);
  }

  function parseRange(params: URLSearchParams): { startKey: number; endKey: number } | null {
    const startKey = keyOf(params.get("startDate") ?? "", params.get("startTime") || "00:00:00");
    const endKey = keyOf(params.get("endDate") ?? "", params.get("endTime") || "23:59:59");
    if (startKey === null || endKey === null || startKey > endKey) return null;
    return { startKey, endKey };
  }

  function outOfWindow(startKey: number): boolean {
    if (state.downloadWindow === null) return false;
    return startKey < Number(state.downloadWindow.oldestDay.replace(/-/g, "")) * 1_000_000;
  }

  function auditLogPage(url: URL, session: Session): string {
    const params = url.searchParams;
    const newest = state.log.newestKey;
    const today = newest === null ? new Date().toISOString().slice(0, 10) : keyToDate(newest).date;
    const searched = params.has("startDate") || params.has("endDate");
    const startDate = params.get("startDate") ?? today;
    const endDate = params.get("endDate") ?? today;
    const startTime = params.get("startTime") || "00:00:00";
    const endTime = params.get("endTime") || "23:59:59";
    const range = parseRange(new URLSearchParams({ startDate, startTime, endDate, endTime }));
    let message: string | null = null;
    let result = null;
    if (!range) message = searched ? l().badRange : null;
    else {
      if (outOfWindow(range.startKey)) message = l().outOfWindow(state.downloadWindow?.days ?? 0);
      const entries = state.log.query(range.startKey, range.endKey);
      const newestRows = entries.slice(0, state.tableRows).map((e) => {
        const cells: Record<string, string> = {};
        for (const [k, v] of Object.entries(e.cells)) cells[k] = translateCell(k, v, state.lang);
        return cells;
      });
      result = { count: entries.length, startKey: range.startKey, endKey: range.endKey, newest: newestRows };
    }
    return auditPage({ lang: state.lang, user: session.user, token: session.token, startDate, startTime, endDate, endTime, result, message }, name);
  }

  async function download(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const session = currentSession(req);
    if (!session) {
      html(res, scriptRedirectToLogin("/admin/auditlog/"));
      return;
    }
    const body = method === "POST" ? await readBody(req) : null;
    const form = new URLSearchParams(body ?? "");
    if (body === null || !sameSecret(form.get("__REQUEST_TOKEN__"), session.token)) {
      badRequest(res);
      return;
    }
    const range = parseRange(form);
    if (!range) {
      html(res, errorPage(state.lang, "CB_VA01", l().badRange), 400);
      return;
    }
    if (outOfWindow(range.startKey)) {
      html(res, errorPage(state.lang, "CB_VA01", l().outOfWindow(state.downloadWindow?.days ?? 0)), 400);
      return;
    }
    const entries = state.log.query(range.startKey, range.endKey).slice(0, state.downloadCap);
    const start = keyToDate(range.startKey);
    const end = keyToDate(range.endKey);
    const filename = `auditlog_${start.date.replace(/-/g, "")}${start.time.replace(/:/g, "")}-${end.date.replace(/-/g, "")}${end.time.replace(/:/g, "")}.csv`;
    res.writeHead(200, {
      "Content-Type": "text/csv; charset=UTF-8",
      "Content-Disposition": `attachment; filename="${filename}"; filename*=UTF-8''${filename}`,
      "Cache-Control": "no-store",
    });
    if (state.switches.failDownloads > 0) {
      state.switches.failDownloads--;
      state.stats.failedDownloads++;
      // Cut the transfer off mid-file: the browser sees an interrupted download.
      const first = consoleCsvChunks(entries, state.lang, state.log.extraColumns).next();
      const text = first.done ? "" : first.value;
      res.write(text.slice(0, Math.max(1, text.length >> 1)));
      await delay(50);
      res.socket?.destroy();
      return;
    }
    for (const chunk of consoleCsvChunks(entries, state.lang, state.log.extraColumns)) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
    state.stats.downloads++;
    state.stats.rowsDownloaded += entries.length;
    const after = state.switches.expireSessionsAfterDownloads;
    if (after !== null) {
      if (after <= 1) {
        state.switches.expireSessionsAfterDownloads = null;
        state.sessions.expireAll();
      } else state.switches.expireSessionsAfterDownloads = after - 1;
    }
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) html(res, errorPage(state.lang, "500", (error as Error).message), 500);
      else res.destroy();
    });
  };
}
