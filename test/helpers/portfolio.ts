/**
 * A portfolio of emulated organisations for the multi-organisation tests and the workers bench
 * (issue 26): for each organisation, its emulated consoles and Auth0 tenants (in this process, on
 * loopback ports), generated data whose account names carry the organisation's own prefix
 * ("acme_t.yamada@example.co.jp", so a mail can be checked to hold its own organisation's events
 * only; no tenant, host or client name contains it), the KANSA_CONFIG document naming them, distinct random secrets per source instance (in
 * environment variables, never in the document), what the emulators hold for the range a daily
 * run of `today` collects, and a real SMTP server collecting the mails.
 *
 * The data comes from the generator (src/tools/generator): one generated organisation per
 * organisation (its own seed), whose people's logins and e-mails are prefixed before any row is
 * generated; each Auth0 tenant of an organisation draws its events with a seed of its own. The
 * emulators hold the `days` days before `today` (the console's and Auth0's days end with the day a
 * run of `today` reports), so that, with KANSA_NOW at `now` (default 07:00 of `today` in the zone):
 * - a console instance's daily range is that day [00:00, 24:00) (it has no cursor yet): expected
 *   count = its rows dated that day;
 * - an Auth0 tenant with no cursor pulls AUTH0 start days (default 30) back from now: expected =
 *   every event it holds from then on, with their log_ids (kansa's externalId).
 * Optionally other days (the previous month) are written as files for `kansa import --org NAME`.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DateTime } from "luxon";
import {
  buildOrganisation, generateAuth0Events, generateConsoleRows, injectAnomalies, writeAuth0StreamFiles, writeConsoleCsv,
  type Auth0LogEvent, type GeneratedConsoleRow, type Organisation as GeneratedOrganisation,
} from "../../src/tools/generator/index.ts";
import { startConsoleEmulator, type ConsoleEmulator, type ConsoleSwitches } from "../../src/tools/console-emulator/index.ts";
import { startAuth0Emulator, type Auth0Emulator } from "../../src/tools/auth0-emulator/index.ts";
import { startSmtpServer, type TestSmtpServer } from "../mail/smtp-helper.ts";

const DAY_MS = 86_400_000;

export interface OrganisationSpec {
  /** The organisation's name (KANSA_CONFIG `name`, `--org`); lower-case letters, digits and dashes. */
  name: string;
  /** Emulated consoles (kintone instances); default 0. */
  consoles?: number;
  /** Emulated Auth0 tenants; default 0. */
  auth0Tenants?: number;
  /** People of the generated organisation (default 10; the generator's minimum is 8). */
  people?: number;
  /** Generator seed (default: derived from the organisation's position). */
  seed?: number;
}

export interface PortfolioOptions {
  organisations: OrganisationSpec[];
  /** The run date D (`--today`); the day a run of D reports is D-1. */
  today: string;
  /** Days the emulators hold, ending D-1 (default 2). */
  days?: number;
  /** The organisations' zone (report and console), default Asia/Tokyo. */
  timezone?: string;
  /** KANSA_NOW for the run (ISO with zone); default 07:00 of `today` in the zone. */
  now?: string;
  /** Console rows per day per 80 people (the generator's default is 1,500; scaled by people). */
  consolePerDay?: number;
  /** Auth0 events per day per 80 people (the generator's default is 40; scaled by people). */
  auth0PerDay?: number;
  /** Initial switches of every console (e.g. slowMs, to keep a collection under way). */
  consoleSwitches?: Partial<ConsoleSwitches>;
  /** Auth0 emulators' rate limit (default "off"; the free plan is 2 a second). */
  auth0Rate?: number | "off";
  /** Auth0 start days the deployment uses (AUTH0_START_DAYS; default 30): what a first pull reaches back to. */
  auth0StartDays?: number;
  /**
   * Write the days `importRange` (first and last, YYYY-MM-DD; before the emulated days, e.g. the
   * previous month) as files for `kansa import --org NAME` under `importDir/<org>/`: a console CSV
   * per console, log-stream files per Auth0 tenant.
   */
  importDir?: string;
  importRange?: { from: string; to: string };
  /**
   * Inject labelled anomalies (the generator's, `perKind` 2) into the reported day of every
   * instance, so that each report lists some of its accounts even without a baseline (default true).
   */
  anomalies?: boolean;
  /** Start an SMTP server collecting the mails (default true). */
  smtp?: boolean;
}

/** What a run of `today` should store for one source instance. */
export interface ExpectedInstance {
  org: string;
  source: "kintone" | "auth0";
  tenant: string;
  /** Events the emulator holds inside the range a run of `today` collects. */
  count: number;
  /** Their externalIds when kansa's id is computable here (Auth0: the log_id), else null. */
  externalIds: string[] | null;
}

export interface PortfolioInstance {
  type: "kintone" | "auth0";
  tenant: string;
  url: string;
  /** Environment variable holding its secret, and the secret. */
  secretEnv: string;
  secret: string;
  console?: ConsoleEmulator;
  auth0?: Auth0Emulator;
}

export interface PortfolioOrganisation {
  name: string;
  /** The prefix of every account name of its data ("acme_"). */
  prefix: string;
  sendTo: string[];
  instances: PortfolioInstance[];
  /** Files to import with `kansa import --org NAME` (empty without importDir). */
  importFiles: string[];
  /** Events in those files. */
  importEvents: number;
}

/** The KANSA_CONFIG document (issue26.md). */
export interface KansaConfigDocument {
  organisations: Array<{
    name: string;
    timezone: string;
    lang: string;
    sendTo: string[];
    sources: Array<Record<string, string>>;
  }>;
}

export interface Portfolio {
  config: KansaConfigDocument;
  /** The secrets' environment variables (name → value), for the workers' environment. */
  env: Record<string, string>;
  /** Every secret value (to search logs, output and the database for). */
  secrets: string[];
  organisations: PortfolioOrganisation[];
  expected: ExpectedInstance[];
  /** KANSA_NOW for the run. */
  now: string;
  /** The day a run of `today` reports (D-1). */
  day: string;
  smtp: TestSmtpServer | null;
  stop(): Promise<void>;
}

/** A day key `n` days after `day`. */
export function addDays(day: string, n: number): string {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days: n }).toISODate()!;
}

/** An environment-variable name from parts: upper case, other characters as underscores. */
function envName(...parts: string[]): string {
  return parts.join("_").toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/** A random secret (base64url, 24 characters) with a recognisable start, unique to one instance. */
function newSecret(kind: string): string {
  return `${kind}-${randomBytes(18).toString("base64url")}`;
}

/** The generated organisation with every account name prefixed (before any row is drawn from it). */
export function prefixedOrganisation(options: { seed: number; people: number; timezone: string; prefix: string }): GeneratedOrganisation {
  const org = buildOrganisation({ seed: options.seed, people: options.people, timezone: options.timezone });
  for (const person of org.people) {
    person.login = `${options.prefix}${person.login}`;
    person.email = `${options.prefix}${person.email}`;
    if (person.typo) person.typo = `${options.prefix}${person.typo}`;
  }
  org.integration.login = `${options.prefix}${org.integration.login}`;
  return org;
}

/** Per-day volume for `people` people from a per-80-people figure (the generator's unit). */
function scaled(perDay80: number | undefined, people: number): number | undefined {
  return perDay80 === undefined ? undefined : Math.max(1, Math.round((perDay80 * people) / 80));
}

/**
 * Start the portfolio's emulators (and the SMTP server) and generate their data; always `stop()`
 * it. The organisations' names must be distinct.
 */
export async function startPortfolio(options: PortfolioOptions): Promise<Portfolio> {
  const zone = options.timezone ?? "Asia/Tokyo";
  const days = options.days ?? 2;
  const day = addDays(options.today, -1);
  const first = addDays(options.today, -days);
  const now = options.now ?? DateTime.fromISO(`${options.today}T07:00:00`, { zone }).toISO({ suppressMilliseconds: true })!;
  const nowMs = Date.parse(now);
  const auth0From = nowMs - (options.auth0StartDays ?? 30) * DAY_MS;
  const names = options.organisations.map((o) => o.name);
  if (new Set(names).size !== names.length) throw new Error(`organisation names must be distinct: ${names.join(", ")}`);
  for (const name of names) {
    // No underscore in a name: then no organisation's prefix ("acme_") can occur in another's data.
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`organisation name "${name}": use lower-case letters, digits and dashes`);
  }

  const started: Array<{ close(): Promise<void> }> = [];
  const portfolio: Portfolio = {
    config: { organisations: [] },
    env: {},
    secrets: [],
    organisations: [],
    expected: [],
    now,
    day,
    smtp: null,
    stop: async () => {
      for (const s of started.splice(0).reverse()) await s.close().catch(() => undefined);
    },
  };
  try {
    if (options.smtp ?? true) {
      portfolio.smtp = await startSmtpServer();
      started.push(portfolio.smtp);
    }
    for (const [index, spec] of options.organisations.entries()) {
      const prefix = `${spec.name}_`;
      const people = spec.people ?? 10;
      const org = prefixedOrganisation({ seed: spec.seed ?? 1000 + index * 7, people, timezone: zone, prefix });
      const entry: PortfolioOrganisation = { name: spec.name, prefix, sendTo: [`security@${spec.name}.example`], instances: [], importFiles: [], importEvents: 0 };
      const sources: Array<Record<string, string>> = [];
      const importRange = options.importDir ? options.importRange ?? null : null;

      for (let k = 0; k < (spec.consoles ?? 0); k++) {
        const tenant = `${spec.name}${k === 0 ? "" : `-${k + 1}`}.cybozu.com`;
        const variant: GeneratedOrganisation = { ...org, seed: org.seed + 100 * k, consoleHost: tenant };
        const perDay = scaled(options.consolePerDay, people);
        let rows: GeneratedConsoleRow[] = generateConsoleRows(variant, { from: first, to: day, ...(perDay !== undefined ? { perDay } : {}) });
        if (options.anomalies ?? true) rows = injectAnomalies(variant, rows, [], { from: first, to: day }, { from: day, to: day, perKind: 2, routinePerKind: 2, burstSize: 10 }).consoleRows;
        const user = `${spec.name}-audit${k + 1}`;
        const secret = newSecret("pw");
        const secretEnv = envName(spec.name, "kintone", String(k + 1), "pw");
        const emulator = await startConsoleEmulator({ user, password: secret, rows: rows.map((r) => r.cells), lang: "ja", ...(options.consoleSwitches ? { switches: options.consoleSwitches } : {}) });
        started.push(emulator);
        entry.instances.push({ type: "kintone", tenant, url: emulator.url, secretEnv, secret, console: emulator });
        sources.push({ type: "kintone", tenant, hostname: emulator.url, adminId: user, passwordEnv: secretEnv });
        portfolio.expected.push({ org: spec.name, source: "kintone", tenant, count: rows.filter((r) => r.cells.Date.startsWith(day)).length, externalIds: null });
        if (options.importDir && importRange) {
          const file = join(options.importDir, spec.name, `console-${tenant}.csv`);
          mkdirSync(join(options.importDir, spec.name), { recursive: true });
          const month = generateConsoleRows(variant, { ...importRange, ...(perDay !== undefined ? { perDay } : {}) });
          const written = await writeConsoleCsv(month, file, { lang: "ja" });
          entry.importFiles.push(file);
          entry.importEvents += written.rows;
        }
      }

      for (let k = 0; k < (spec.auth0Tenants ?? 0); k++) {
        const tenant = `${spec.name}-${k === 0 ? "prod" : k === 1 ? "dev" : `t${k + 1}`}`;
        const variant: GeneratedOrganisation = { ...org, seed: org.seed + 100 * k + 50, auth0Tenant: tenant, auth0Domain: `${tenant}.jp.auth0.com` };
        const perDay = scaled(options.auth0PerDay, people);
        let events: Auth0LogEvent[] = generateAuth0Events(variant, { from: first, to: day, ...(perDay !== undefined ? { perDay } : {}) });
        if (options.anomalies ?? true) events = injectAnomalies(variant, [], events, { from: first, to: day }, { from: day, to: day, perKind: 2, routinePerKind: 2, burstSize: 10 }).auth0Events;
        const clientId = `${spec.name}-client-${k + 1}`;
        const secret = newSecret("cs");
        const secretEnv = envName(spec.name, "auth0", String(k + 1), "secret");
        const emulator = await startAuth0Emulator({ events, clientId, clientSecret: secret, retentionDays: null, rate: options.auth0Rate ?? "off" });
        started.push(emulator);
        entry.instances.push({ type: "auth0", tenant, url: emulator.url, secretEnv, secret, auth0: emulator });
        sources.push({ type: "auth0", tenant, domain: emulator.url, clientId, clientSecretEnv: secretEnv });
        const inRange = events.filter((e) => Date.parse(e.date) >= auth0From && Date.parse(e.date) < nowMs);
        portfolio.expected.push({ org: spec.name, source: "auth0", tenant, count: inRange.length, externalIds: inRange.map((e) => e.log_id) });
        if (options.importDir && importRange) {
          const dir = join(options.importDir, spec.name, `auth0-${tenant}`);
          const month = generateAuth0Events(variant, { ...importRange, ...(perDay !== undefined ? { perDay } : {}) });
          const written = await writeAuth0StreamFiles(month, dir, { tenant, seed: variant.seed });
          entry.importFiles.push(dir);
          entry.importEvents += written.events;
        }
      }

      for (const instance of entry.instances) {
        portfolio.env[instance.secretEnv] = instance.secret;
        portfolio.secrets.push(instance.secret);
      }
      portfolio.organisations.push(entry);
      portfolio.config.organisations.push({ name: spec.name, timezone: zone, lang: "ja", sendTo: entry.sendTo, sources });
    }
  } catch (error) {
    await portfolio.stop();
    throw error;
  }
  return portfolio;
}
