/**
 * An emulated Kintone-style (cybozu.com) admin console on node:http, for the demo, the tests and
 * anyone trying kansa without credentials. It reproduces what is publicly known of the real
 * console (DESIGN.md, "Sources" → kintone): a login page whose form is built by script around a
 * request token, the JSON login and `redirect.do` that sets the session cookie, `CB_IL02` on a bad
 * request, script redirects to `/login` for pages opened without a session, `?saml=off`, the
 * audit log with a date-range filter, the newest entries, and a CSV download (UTF-8 with BOM,
 * header in the UI language, newest first) capped at 100,000 rows, and session expiry. Switches
 * make it misbehave for tests. Nothing in it is visible to a client as "an emulator".
 *
 * It also reproduces the access controls cybozu.com offers beyond the password (./access.ts):
 * two-factor authentication (a TOTP code after the password), Secure Access (HTTPS that demands
 * a client certificate issued by the console's CA) and IP address restriction (only listed
 * source addresses; a client with a valid certificate passes from anywhere, as with Secure
 * Access).
 */
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { AuditLog, entriesFromCells, type ConsoleLang } from "./audit-log.ts";
import { createHandler, type ConsoleState, type ConsoleStats, type ConsoleSwitches } from "./server.ts";
import { SessionStore } from "./sessions.ts";

export type { ConsoleLang } from "./audit-log.ts";
export type { ConsoleStats, ConsoleSwitches } from "./server.ts";

export interface ConsoleEmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** The administrator's login name and password that the console accepts. */
  user: string;
  password: string;
  /** UI language: page labels, CSV header and level/service values (default "ja"). */
  lang?: ConsoleLang;
  /** Audit-log entries as cells keyed by the English column names (Date, Level, ... Complement). */
  rows: Iterable<Record<string, string>>;
  /** Most rows one download returns (the real console stops at 100,000). */
  downloadCap?: number;
  /** A session ends after this long without a request (default 2 hours). */
  sessionTtlMs?: number;
  /** SAML single sign-on is on: `/login` shows the SSO notice unless `?saml=off` is given. */
  saml?: boolean;
  /** Entries shown in the page's table (default 20, newest first). */
  tableRows?: number;
  /**
   * The download reaches this many days back from `today` (the real console: about 6 weeks = 42);
   * null: no limit (default).
   */
  downloadWindowDays?: number | null;
  /** The console's "today" (YYYY-MM-DD, local) for the download window; default: the newest entry's day. */
  today?: string;
  switches?: Partial<ConsoleSwitches>;
  /** Two-factor authentication is on: after the password the console asks for the 6-digit TOTP code of this secret (base32). */
  totpSecret?: string;
  /**
   * Secure Access: serve HTTPS with `key` and `cert`, and complete only TLS handshakes whose
   * client certificate `clientCa` signed (PEM).
   */
  secureAccess?: { key: string | Buffer; cert: string | Buffer; clientCa: string | Buffer };
  /** IP address restriction: only these source addresses (IPv4, as written) may use the console; others get the refusal page (HTTP 403). */
  allowedAddresses?: string[];
}

export interface ConsoleEmulator {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /** Entries held. */
  size: number;
  /** Rows skipped because their Date cell was not a date. */
  skipped: number;
  /** Live switches: change them while the console runs. */
  switches: ConsoleSwitches;
  stats: ConsoleStats;
  /** End every session now (as if they timed out). */
  expireSessions(): void;
  close(): Promise<void>;
}

/** Start an emulated console; resolves once it listens. */
export async function startConsoleEmulator(options: ConsoleEmulatorOptions): Promise<ConsoleEmulator> {
  const { entries, skipped } = entriesFromCells(options.rows);
  const log = new AuditLog(entries);
  const switches: ConsoleSwitches = {
    rejectPasswords: false,
    renameElement: null,
    slowMs: 0,
    failDownloads: 0,
    expireSessionsAfterDownloads: null,
    ...options.switches,
  };
  let downloadWindow: ConsoleState["downloadWindow"] = null;
  const windowDays = options.downloadWindowDays ?? null;
  if (windowDays !== null) {
    const newest = log.newestKey;
    const today = options.today ?? (newest === null ? new Date().toISOString().slice(0, 10) : `${String(newest).slice(0, 4)}-${String(newest).slice(4, 6)}-${String(newest).slice(6, 8)}`);
    const t = new Date(`${today}T00:00:00Z`);
    t.setUTCDate(t.getUTCDate() - windowDays);
    downloadWindow = { days: windowDays, oldestDay: t.toISOString().slice(0, 10) };
  }
  const state: ConsoleState = {
    user: options.user,
    password: options.password,
    lang: options.lang ?? "ja",
    saml: options.saml ?? false,
    downloadCap: options.downloadCap ?? 100_000,
    tableRows: options.tableRows ?? 20,
    downloadWindow,
    log,
    sessions: new SessionStore(options.sessionTtlMs ?? 2 * 3_600_000),
    switches,
    stats: { logins: 0, failedLogins: 0, failedCodes: 0, refusedAddresses: 0, refusedHandshakes: 0, badRequests: 0, pages: 0, downloads: 0, failedDownloads: 0, rowsDownloaded: 0 },
    totpSecret: options.totpSecret ?? null,
    allowedAddresses: options.allowedAddresses ?? null,
  };
  const handler = createHandler(state);
  const tls = options.secureAccess;
  const server = tls
    ? createTlsServer({ key: tls.key, cert: tls.cert, ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }, handler)
    : createServer(handler);
  // Secure Access: a handshake without a certificate the console's CA signed ends here.
  server.on("tlsClientError", () => state.stats.refusedHandshakes++);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `${tls ? "https" : "http"}://${host}:${address.port}`,
    port: address.port,
    size: log.size,
    skipped,
    switches,
    stats: state.stats,
    expireSessions: () => state.sessions.expireAll(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
