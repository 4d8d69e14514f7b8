/**
 * An emulated Auth0 tenant on node:http, for the tests, the bench, the demo and anyone trying
 * kansa without an Auth0 account. It reproduces what kansa relies on (DESIGN.md, "Sources" →
 * auth0-api): `POST /oauth/token` with client credentials and the audience
 * `<emulator URL>/api/v2/` (24-hour JWTs; a wrong secret gets Auth0's 401 `access_denied`
 * body), `GET /api/v2/logs` in checkpoint mode (`from`, `take` ≤ 100, ordered by log_id,
 * `Link: <…>; rel="next"`, an empty array when caught up) and search mode (`q`, `page`,
 * `per_page`, `sort`, `fields`, `include_totals`, the 1,000-result cap), bearer and `read:logs`
 * checks with Auth0's 401/403 bodies, 429 with `X-RateLimit-Limit/Remaining/Reset` under a
 * configurable rate (default 2 requests a second, the free plan), and the plan's retention
 * against an injectable clock. Fault switches make it misbehave for tests. A client cannot
 * tell it from Auth0 except by its URL.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { LogStore } from "./log-store.ts";
import { RateLimiter } from "./rate-limit.ts";
import { NO_FAULTS, createHandler, emptyStats, type Auth0Faults, type Auth0State, type Auth0Stats } from "./server.ts";
import { TokenIssuer } from "./tokens.ts";

export type { Auth0Faults, Auth0Stats, Auth0RequestRecord } from "./server.ts";
export { loadAuth0Files, generateAuth0Records, type GenerateAuth0Options, type LoadedAuth0Data } from "./load-data.ts";

export interface Auth0EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** The machine-to-machine client the tenant knows (default "kansa-emulator"). */
  clientId?: string;
  /** Its secret (default "emulator-secret"). */
  clientSecret?: string;
  /** Scopes of the client's grant (default read:logs and read:logs_users). */
  scopes?: readonly string[];
  /** The tenant's log entries (bare Auth0 events); those without a log_id get one. */
  events: Iterable<unknown>;
  /** Token lifetime in seconds (default 86,400: 24 hours). */
  tokenLifetimeSeconds?: number;
  /** The plan's log retention in days (default 30); null keeps everything. */
  retentionDays?: number | null;
  /** Management API requests allowed per second (default 2, the free plan); "off": no limit. */
  rate?: number | "off";
  /** The tenant's clock (epoch ms) for retention, token expiry and which entries exist yet (default Date.now). */
  now?: () => number;
  /** Initial fault switches (see Auth0Faults); change `emulator.faults` while it runs. */
  faults?: Partial<Auth0Faults>;
}

export interface Auth0Emulator {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash): what AUTH0_DOMAIN is set to. */
  url: string;
  port: number;
  clientId: string;
  /** Log entries held (before retention). */
  size: number;
  /** Live fault switches. */
  faults: Auth0Faults;
  stats: Auth0Stats;
  /** Refuse every token issued so far (the next API call gets 401, as after expiry). */
  revokeTokens(): void;
  /** Change the rate limit while running (requests per second, or "off"). */
  setRate(rate: number | "off"): void;
  close(): Promise<void>;
}

/** Start an emulated Auth0 tenant; resolves once it listens. */
export async function startAuth0Emulator(options: Auth0EmulatorOptions): Promise<Auth0Emulator> {
  const rate = options.rate ?? 2;
  if (rate !== "off" && (!Number.isInteger(rate) || rate < 1)) throw new RangeError(`rate must be a whole number of requests a second ≥ 1, or "off"; got ${String(rate)}`);
  const log = new LogStore(options.events);
  const now = options.now ?? Date.now;
  const state: Auth0State = {
    url: "",
    clientId: options.clientId ?? "kansa-emulator",
    clientSecret: options.clientSecret ?? "emulator-secret",
    scopes: options.scopes ?? ["read:logs", "read:logs_users"],
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 86_400,
    retentionDays: options.retentionDays === undefined ? 30 : options.retentionDays,
    now,
    log,
    tokens: new TokenIssuer(),
    limiter: new RateLimiter(rate === "off" ? null : rate),
    faults: { ...NO_FAULTS, ...options.faults },
    stats: emptyStats(),
    timers: new Set(),
  };
  const server = createServer(createHandler(state));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  state.url = `http://${host}:${address.port}`;
  return {
    url: state.url,
    port: address.port,
    clientId: state.clientId,
    size: log.size,
    faults: state.faults,
    stats: state.stats,
    revokeTokens: () => state.tokens.revokeAll(),
    setRate: (value) => {
      state.limiter.perSecond = value === "off" ? null : value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const entry of state.timers) {
          clearTimeout(entry.timer);
          entry.resolve();
        }
        state.timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
