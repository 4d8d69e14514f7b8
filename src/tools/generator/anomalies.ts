/**
 * Labelled anomalies for the detection evaluation (issue 9) and the demo's report: events of
 * known kinds injected into a generated dataset, each labelled with its kind, whether it is
 * anomalous, the event's identity and a sentence. Also labelled ordinary events that a good
 * detector must not flag (admins' routine Notice actions, heavy exporters exporting, the
 * nightly integration).
 */
import { adminSapiEvent, clientCredentialsEvent, createAuth0Factory, failedLoginEvent, loginEvent, mergeAuth0Events, type Auth0Context, type Auth0Factory, type Auth0LogEvent } from "./auth0-events.ts";
import { createRowFactory, makeCells, type GeneratedConsoleRow, type RowFactory } from "./console-rows.ts";
import {
  API_RECORD_EDIT, API_RECORD_VIEW, APP_SETTINGS, CONFIGURE_SECURITY, EDIT_USER, EXPORT_USER, LOGIN, NEVER_DONE, RECORD_DELETE,
  RECORD_EXPORT, RECORD_FILE_DOWNLOAD, RECORD_IMPORT, RECORD_VIEW, type ActionSpec, type ConsoleCells,
} from "./console-vocabulary.ts";
import type { Organisation, Person } from "./organisation.ts";
import { Random } from "./random.ts";
import { calendarDays, formatDayKey, formatLocalDateTime, localToUtc, parseDay, type CalendarDay } from "./time.ts";

/** Kinds of injected anomalies. */
export const ANOMALY_KINDS = [
  "unusual-hour",
  "new-address",
  "new-slash24",
  "new-action-for-account",
  "new-action-global",
  "new-app-for-account",
  "unknown-account",
  "mass-download",
  "failed-then-succeeded",
  "machine-credentials-new-address",
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** Kinds of injected ordinary events that must not be flagged. */
export const ROUTINE_KINDS = ["routine-admin", "routine-export", "nightly-integration"] as const;
export type RoutineKind = (typeof ROUTINE_KINDS)[number];

export interface AnomalyLabel {
  kind: AnomalyKind | RoutineKind;
  /** True for anomalies, false for the ordinary events that must not be flagged. */
  anomalous: boolean;
  source: "kintone" | "auth0";
  /** Auth0 `log_id`; null for console rows (they have no id: match them by `key`). */
  externalId: string | null;
  /** `labelKeyForConsole(cells)` or `labelKeyForAuth0(event)`: unique among the dataset's events. */
  key: string;
  /** The event's instant, ISO 8601 UTC. */
  occurredAt: string;
  account: string;
  action: string;
  ip: string;
  /** Events of one incident (a burst of downloads, failures then success) share a number. */
  incident: number;
  description: string;
}

export interface AnomalyOptions {
  /** First day to inject into (default: the first day of the range's last calendar month). */
  from?: string;
  /** Last day to inject into (default: the range's last day). */
  to?: string;
  /** Incidents per anomaly kind (default 6; split between console and Auth0 where both apply). */
  perKind?: number;
  /** Ordinary labelled events per routine kind (default 12). */
  routinePerKind?: number;
  /** Downloads in one mass-download burst (default 40). */
  burstSize?: number;
  /** Only these kinds (default all). */
  kinds?: readonly AnomalyKind[];
  /** Seed of the injection (default: the organisation's seed). */
  seed?: number;
}

/** The identity of a console row used in labels: date cell, user, action and address. */
export function labelKeyForConsole(cells: Pick<ConsoleCells, "Date" | "User" | "Action" | "IP Address">): string {
  return `kintone|${cells.Date}|${cells.User}|${cells.Action}|${cells["IP Address"]}`;
}

/** The identity of an Auth0 event used in labels: its log id. */
export function labelKeyForAuth0(event: Pick<Auth0LogEvent, "log_id">): string {
  return `auth0|${event.log_id}`;
}

interface AccountStats {
  ips: Set<string>;
  nets: Set<string>;
  actions: Set<string>;
  apps: Set<number>;
}

function net24(ip: string): string {
  if (ip.includes(":")) return ip.split(":").slice(0, 3).join(":");
  return ip.split(".").slice(0, 3).join(".");
}

function appIdOf(complement: string): number | null {
  const m = /app id: (\d+)/.exec(complement);
  return m ? Number(m[1]) : null;
}

function consoleStats(rows: readonly GeneratedConsoleRow[]): { byUser: Map<string, AccountStats>; nets: Set<string>; ips: Set<string>; actions: Set<string>; users: Set<string> } {
  const byUser = new Map<string, AccountStats>();
  const nets = new Set<string>();
  const ips = new Set<string>();
  const actions = new Set<string>();
  const users = new Set<string>();
  for (const { cells } of rows) {
    let s = byUser.get(cells.User);
    if (!s) {
      s = { ips: new Set(), nets: new Set(), actions: new Set(), apps: new Set() };
      byUser.set(cells.User, s);
    }
    const ip = cells["IP Address"];
    s.ips.add(ip);
    s.nets.add(net24(ip));
    s.actions.add(cells.Action);
    const app = appIdOf(cells.Complement);
    if (app !== null) s.apps.add(app);
    nets.add(net24(ip));
    ips.add(ip);
    actions.add(cells.Action);
    users.add(cells.User);
  }
  return { byUser, nets, ips, actions, users };
}

/** What the injector works with and produces. */
interface Injection {
  org: Organisation;
  random: Random;
  rows: GeneratedConsoleRow[];
  rowKeys: Set<string>;
  events: Auth0LogEvent[];
  pendingAuth0: { event: Auth0LogEvent; label: Omit<AnomalyLabel, "externalId" | "key"> }[];
  labels: AnomalyLabel[];
  rowFactory: RowFactory;
  auth0Factory: Auth0Factory;
  days: CalendarDay[];
  incident: number;
}

function localInstant(org: Organisation, day: CalendarDay, minute: number, random: Random): number {
  const m = ((minute % 1440) + 1440) % 1440;
  return localToUtc(org.timezone, day.localMidnight + Math.floor(m * 60_000)) + random.int(0, 59) * 1000;
}

function addConsole(inj: Injection, time: number, spec: ActionSpec, user: string, ip: string, userAgent: string, appId: number | null, kind: AnomalyKind | RoutineKind, description: string, result: "SUCCESS" | "FAILED" = "SUCCESS", incident = inj.incident): void {
  let t = time;
  let cells = makeCells(inj.rowFactory, t, spec, user, { ip, userAgent }, appId, result);
  // Keep keys unique: move a second on when an identical (date, user, action, address) exists.
  while (inj.rowKeys.has(labelKeyForConsole(cells))) {
    t += 1000;
    cells = makeCells(inj.rowFactory, t, spec, user, { ip, userAgent }, appId, result);
  }
  const key = labelKeyForConsole(cells);
  inj.rowKeys.add(key);
  inj.rows.push({ time: t, cells });
  inj.labels.push({ kind, anomalous: !ROUTINE_KINDS.includes(kind as RoutineKind), source: "kintone", externalId: null, key, occurredAt: new Date(t).toISOString(), account: user, action: spec.action, ip, incident, description });
}

function addAuth0(inj: Injection, event: Auth0LogEvent, kind: AnomalyKind | RoutineKind, description: string, incident = inj.incident): void {
  inj.events.push(event);
  inj.pendingAuth0.push({
    event,
    label: {
      kind,
      anomalous: !ROUTINE_KINDS.includes(kind as RoutineKind),
      source: "auth0",
      occurredAt: event.date,
      account: typeof event.user_name === "string" && event.user_name !== "" ? event.user_name : typeof event.user_id === "string" ? event.user_id : "",
      action: event.type,
      ip: typeof event.ip === "string" ? event.ip : "",
      incident,
      description,
    },
  });
}

function workingMinute(person: Person, random: Random): number {
  const span = Math.max(60, person.endMinute - person.startMinute - 120);
  return person.startMinute + 60 + random.next() * span;
}

function mainApp(person: Person): number {
  let best = person.apps[0] ?? 23;
  let weight = -1;
  person.apps.forEach((id, i) => {
    if ((person.appWeights[i] ?? 0) > weight) {
      weight = person.appWeights[i] ?? 0;
      best = id;
    }
  });
  return best;
}

function ctxFor(person: Person, ip: string): Auth0Context {
  return { ip, userAgent: person.browser.parsed, isMobile: false };
}

/** A day-time person: not a shift worker, not the integration. */
function dayPeople(org: Organisation): Person[] {
  return org.people.filter((p) => p.pattern !== "shift");
}

/**
 * Injects labelled anomalies (and labelled routine events) into the console rows and Auth0
 * events of a dataset. Returns new arrays: console rows newest first, Auth0 events in log-id
 * order (existing events keep their ids; injected ones get ids between their neighbours', so ids
 * stay strictly increasing), and labels whose `key` identifies each injected event uniquely.
 */
export function injectAnomalies(
  org: Organisation,
  consoleRows: readonly GeneratedConsoleRow[],
  auth0Events: readonly Auth0LogEvent[],
  range: { from: string; to: string },
  options: AnomalyOptions = {},
): { consoleRows: GeneratedConsoleRow[]; auth0Events: Auth0LogEvent[]; labels: AnomalyLabel[] } {
  const seed = options.seed ?? org.seed;
  const random = new Random(seed, "anomalies");
  const lastMonth = formatDayKey(Date.UTC(Number(range.to.slice(0, 4)), Number(range.to.slice(5, 7)) - 1, 1));
  const from = options.from ?? (lastMonth > range.from ? lastMonth : range.from);
  const to = options.to ?? range.to;
  parseDay(from, "anomalies.from");
  const stats = consoleStats(consoleRows);
  const auth0Ips = new Map<string, Set<string>>();
  const auth0Nets = new Set<string>();
  const auth0Types = new Set<string>();
  for (const e of auth0Events) {
    const who = String(e.user_name ?? e.client_id ?? "");
    const ip = String(e.ip ?? "");
    let set = auth0Ips.get(who);
    if (!set) auth0Ips.set(who, (set = new Set()));
    set.add(ip);
    auth0Nets.add(net24(ip));
    auth0Types.add(e.type);
  }
  const inj: Injection = {
    org,
    random,
    rows: consoleRows.slice(),
    rowKeys: new Set(consoleRows.map((r) => labelKeyForConsole(r.cells))),
    events: [],
    pendingAuth0: [],
    labels: [],
    rowFactory: createRowFactory(org, new Random(seed, "anomaly-rows"), parseDay(from, "anomalies.from")),
    auth0Factory: createAuth0Factory(org, new Random(seed, "anomaly-auth0")),
    days: calendarDays(from, to),
    incident: 0,
  };
  const perKind = options.perKind ?? 6;
  const routine = options.routinePerKind ?? 12;
  const burst = options.burstSize ?? 40;
  const kinds = new Set<AnomalyKind>(options.kinds ?? ANOMALY_KINDS);
  const people = dayPeople(org);
  const staff = people.filter((p) => p.role === "staff");
  const pickDay = (): CalendarDay => {
    const workdays = inj.days.filter((d) => !d.isDayOff);
    return random.pick(workdays.length > 0 ? workdays : inj.days);
  };
  const userStats = (p: Person): AccountStats => stats.byUser.get(p.login) ?? { ips: new Set(), nets: new Set(), actions: new Set(), apps: new Set() };
  const seenAuth0 = (p: Person): Set<string> => auth0Ips.get(p.email) ?? new Set();
  // Addresses never seen for the account; some are numerically next to the office range.
  const freshAddress = (p: Person, i: number): string => {
    const s = userStats(p);
    const seen = seenAuth0(p);
    const officePrefix = p.officeIp.split(".").slice(0, 3).join(".");
    const next = p.officeIp.startsWith("203.0.113.") ? "203.0.114" : "198.51.101";
    const candidates = [`${next}.${7 + (i % 200)}`, `${officePrefix}.${200 + (i % 50)}`, `126.${random.int(100, 199)}.${random.int(0, 255)}.${random.int(1, 254)}`];
    for (let k = 0; k < 20; k++) {
      const ip = candidates[(i + k) % candidates.length] as string;
      if (!s.ips.has(ip) && !seen.has(ip)) return ip;
      candidates.push(`${next}.${random.int(1, 254)}`);
    }
    return `${next}.${random.int(1, 254)}`;
  };
  // Addresses in a /24 nobody used.
  const freshNet = (): string => {
    for (;;) {
      const ip = `${random.pick(["45.134", "91.203", "5.188", "185.100", "77.83", "146.70"])}.${random.int(0, 255)}.${random.int(1, 254)}`;
      if (!stats.nets.has(net24(ip)) && !auth0Nets.has(net24(ip))) return ip;
    }
  };
  const half = (n: number): [number, number] => [Math.ceil(n / 2), Math.floor(n / 2)];

  if (kinds.has("unusual-hour")) {
    const [nConsole, nAuth0] = half(perKind);
    for (let i = 0; i < nConsole + nAuth0; i++) {
      inj.incident++;
      const p = random.pick(people);
      const day = pickDay();
      // At least five hours outside the person's usual window (always before 05:00 or after 22:00).
      const minute = p.startMinute - 300 - random.next() * Math.min(180, Math.max(0, p.startMinute - 300 - 60));
      const time = localInstant(org, day, Math.max(30, minute), random);
      const hhmm = formatLocalDateTime(org.timezone, time).slice(11, 16);
      const text = `login at an hour this account never works (usual ${Math.floor(p.startMinute / 60)}:00–${Math.floor(p.endMinute / 60)}:00)`;
      if (i < nConsole) addConsole(inj, time, LOGIN, p.login, p.officeIp, p.browser.raw, null, "unusual-hour", `${text}, around ${hhmm}`);
      else addAuth0(inj, loginEvent(inj.auth0Factory, time, p, ctxFor(p, p.officeIp)), "unusual-hour", text);
    }
  }

  if (kinds.has("new-address")) {
    const [nConsole, nAuth0] = half(perKind);
    for (let i = 0; i < nConsole + nAuth0; i++) {
      inj.incident++;
      const p = random.pick(staff.length > 0 ? staff : people);
      const day = pickDay();
      const ip = freshAddress(p, i);
      const time = localInstant(org, day, workingMinute(p, random), random);
      const text = `first event from ${ip} for this account (usually ${p.officeIp})`;
      if (i < nConsole) addConsole(inj, time, RECORD_VIEW, p.login, ip, p.browser.raw, mainApp(p), "new-address", text);
      else addAuth0(inj, loginEvent(inj.auth0Factory, time, p, ctxFor(p, ip)), "new-address", text);
    }
  }

  if (kinds.has("new-slash24")) {
    const [nConsole, nAuth0] = half(perKind);
    for (let i = 0; i < nConsole + nAuth0; i++) {
      inj.incident++;
      const p = random.pick(people);
      const ip = freshNet();
      const time = localInstant(org, pickDay(), workingMinute(p, random), random);
      const text = `first event from the network ${net24(ip)}.0/24 (nobody used it)`;
      if (i < nConsole) addConsole(inj, time, LOGIN, p.login, ip, p.browser.raw, null, "new-slash24", text);
      else addAuth0(inj, loginEvent(inj.auth0Factory, time, p, ctxFor(p, ip)), "new-slash24", text);
    }
  }

  if (kinds.has("new-action-for-account")) {
    const optional: ActionSpec[] = [RECORD_DELETE, RECORD_EXPORT, RECORD_IMPORT, RECORD_FILE_DOWNLOAD, APP_SETTINGS, EXPORT_USER, CONFIGURE_SECURITY];
    const [nConsole, nAuth0] = half(perKind);
    for (let i = 0; i < nConsole + nAuth0; i++) {
      inj.incident++;
      const time0 = pickDay();
      if (i < nConsole) {
        const candidates = staff.flatMap((p) => optional.filter((a) => stats.actions.has(a.action) && !userStats(p).actions.has(a.action)).map((a) => ({ p, a })));
        if (candidates.length === 0) continue;
        const { p, a } = random.pick(candidates);
        const time = localInstant(org, time0, workingMinute(p, random), random);
        const appId = a.complement === "setting" || a.module === "User Administration" ? null : mainApp(p);
        addConsole(inj, time, a, p.login, p.officeIp, p.browser.raw, appId, "new-action-for-account", `first \`${a.action}\` by this account (others do it)`);
      } else {
        const p = random.pick(staff.length > 0 ? staff : people);
        const time = localInstant(org, time0, workingMinute(p, random), random);
        const event = adminSapiEvent(inj.auth0Factory, time, p, ctxFor(p, p.officeIp), "Update a User");
        addAuth0(inj, event, "new-action-for-account", "first Management API write (sapi) by this account (admins do it)");
      }
    }
  }

  if (kinds.has("new-action-global")) {
    const [nConsole, nAuth0] = half(perKind);
    for (let i = 0; i < nConsole + nAuth0; i++) {
      inj.incident++;
      const p = random.pick(people);
      const time = localInstant(org, pickDay(), workingMinute(p, random), random);
      if (i < nConsole) {
        const a = NEVER_DONE[i % NEVER_DONE.length] as ActionSpec;
        addConsole(inj, time, a, p.login, p.officeIp, p.browser.raw, a.complement === "app" ? mainApp(p) : null, "new-action-global", `first \`${a.action}\` by anyone`);
      } else {
        const unused = ["gd_unenroll", "sdu", "gd_tenant_update"].filter((t) => !auth0Types.has(t));
        const type = unused[(i - nConsole) % Math.max(1, unused.length)] ?? "gd_unenroll";
        const event = loginEvent(inj.auth0Factory, time, p, ctxFor(p, p.officeIp));
        event.type = type;
        event.description = type === "gd_unenroll" ? "Device unenrolled from MFA" : type === "sdu" ? "User deleted" : "Guardian tenant update";
        event.details = { reason: "requested by user" };
        addAuth0(inj, event, "new-action-global", `first \`${type}\` in the tenant`);
      }
    }
  }

  if (kinds.has("new-app-for-account")) {
    for (let i = 0; i < perKind; i++) {
      inj.incident++;
      const candidates = staff.flatMap((p) => org.apps.filter((a) => !userStats(p).apps.has(a.id) && [...stats.byUser.values()].some((s) => s.apps.has(a.id))).map((a) => ({ p, a })));
      if (candidates.length === 0) break;
      const { p, a } = random.pick(candidates);
      const time = localInstant(org, pickDay(), workingMinute(p, random), random);
      addConsole(inj, time, RECORD_VIEW, p.login, p.officeIp, p.browser.raw, a.id, "new-app-for-account", `first use of app ${a.id} (${a.name}) by this account`);
    }
  }

  if (kinds.has("unknown-account")) {
    const names = ["admin@example.co.jp", "test01", "s.tanaka.ext@example.co.jp", "backup-admin", "guest", "support@vendor.example"];
    const [nConsole, nAuth0] = half(perKind);
    for (let i = 0; i < nConsole + nAuth0; i++) {
      inj.incident++;
      let name = i < names.length ? (names[i] as string) : `guest${i}@example.co.jp`;
      if (stats.users.has(name) || org.people.some((p) => p.email === name)) name = `unknown${i}@example.co.jp`;
      const template = random.pick(people);
      const time = localInstant(org, pickDay(), workingMinute(template, random), random);
      if (i < nConsole) {
        addConsole(inj, time, LOGIN, name, template.officeIp, template.browser.raw, null, "unknown-account", `login by ${name}, an account never seen`);
      } else {
        const ghost: Person = { ...template, login: name, email: name, auth0UserId: `auth0|${inj.auth0Factory.random.hex(24)}` };
        addAuth0(inj, loginEvent(inj.auth0Factory, time, ghost, ctxFor(template, template.officeIp)), "unknown-account", `login by ${name}, an account never seen`);
      }
    }
  }

  if (kinds.has("mass-download")) {
    for (let i = 0; i < perKind; i++) {
      inj.incident++;
      const p = random.pick(staff.length > 0 ? staff : people);
      const start = localInstant(org, pickDay(), workingMinute(p, random), random);
      for (let k = 0; k < burst; k++) {
        const spec = k % 8 === 7 ? RECORD_EXPORT : RECORD_FILE_DOWNLOAD;
        const appId = random.pick(p.apps);
        addConsole(inj, start + Math.floor((k * 5 * 60_000) / burst) + random.int(0, 3) * 1000, spec, p.login, p.officeIp, p.browser.raw, appId, "mass-download", `${burst} downloads and exports within 5 minutes (${k + 1} of ${burst})`);
      }
    }
  }

  if (kinds.has("failed-then-succeeded")) {
    const [nAuth0, nConsole] = half(perKind);
    for (let i = 0; i < nAuth0 + nConsole; i++) {
      inj.incident++;
      const p = random.pick(staff.length > 0 ? staff : people);
      const ip = random.chance(0.5) ? freshNet() : freshAddress(p, i + 3);
      const start = localInstant(org, pickDay(), workingMinute(p, random), random);
      const failures = random.int(3, 6);
      for (let k = 0; k < failures; k++) {
        const t = start + k * random.int(8, 25) * 1000;
        if (i < nAuth0) addAuth0(inj, failedLoginEvent(inj.auth0Factory, t, "fp", p, ctxFor(p, ip)), "failed-then-succeeded", `failed login ${k + 1} of ${failures} from ${ip}, new for this account`);
        else addConsole(inj, t, LOGIN, p.login, ip, p.browser.raw, null, "failed-then-succeeded", `failed login ${k + 1} of ${failures} from ${ip}, new for this account`, "FAILED");
      }
      const t = start + failures * 30_000 + random.int(5, 60) * 1000;
      if (i < nAuth0) addAuth0(inj, loginEvent(inj.auth0Factory, t, p, ctxFor(p, ip)), "failed-then-succeeded", `successful login from ${ip} after ${failures} failures`);
      else addConsole(inj, t, LOGIN, p.login, ip, p.browser.raw, null, "failed-then-succeeded", `successful login from ${ip} after ${failures} failures`);
    }
  }

  if (kinds.has("machine-credentials-new-address")) {
    for (let i = 0; i < perKind; i++) {
      inj.incident++;
      const ip = freshNet();
      const minute = org.integration.startMinute + random.next() * (org.integration.endMinute - org.integration.startMinute);
      const time = localInstant(org, pickDay(), minute, random);
      addAuth0(inj, clientCredentialsEvent(inj.auth0Factory, time, org.integration.auth0Client, { ip, userAgent: "curl/8.5.0", isMobile: false }), "machine-credentials-new-address", `client credentials of ${org.auth0Clients[org.integration.auth0Client]?.name ?? "the integration"} used from ${ip} (always ${org.integration.ip})`);
    }
  }

  // Ordinary events that must not be flagged.
  const admins = org.people.filter((p) => p.role === "admin");
  const exporters = org.people.filter((p) => p.role === "exporter");
  for (let i = 0; i < routine && admins.length > 0; i++) {
    inj.incident++;
    const p = random.pick(admins);
    const time = localInstant(org, pickDay(), workingMinute(p, random), random);
    if (i % 3 === 2) {
      const event = adminSapiEvent(inj.auth0Factory, time, p, ctxFor(p, p.officeIp), random.chance(0.5) ? "Create a users export job" : "Update a User");
      addAuth0(inj, event, "routine-admin", `routine admin work by ${p.email} (${String((event.details as { request?: { path?: string } }).request?.path ?? "")})`);
    } else {
      const spec = random.pick([CONFIGURE_SECURITY, EXPORT_USER, EDIT_USER]);
      addConsole(inj, time, spec, p.login, p.officeIp, p.browser.raw, null, "routine-admin", `routine \`${spec.action}\` by an admin at their usual time and place`);
    }
  }
  for (let i = 0; i < routine && exporters.length > 0; i++) {
    inj.incident++;
    const p = random.pick(exporters);
    const time = localInstant(org, pickDay(), workingMinute(p, random), random);
    const used = [...userStats(p).apps];
    const appId = used.length > 0 ? random.pick(used) : mainApp(p);
    addConsole(inj, time, random.chance(0.6) ? RECORD_EXPORT : RECORD_FILE_DOWNLOAD, p.login, p.officeIp, p.browser.raw, appId, "routine-export", "a heavy exporter's usual export");
  }
  for (let i = 0; i < routine; i++) {
    inj.incident++;
    const integration = org.integration;
    const minute = integration.startMinute + 10 + random.next() * (integration.endMinute - integration.startMinute - 20);
    const time = localInstant(org, pickDay(), minute, random);
    if (i % 3 === 2) {
      addAuth0(inj, clientCredentialsEvent(inj.auth0Factory, time, integration.auth0Client, { ip: integration.ip, userAgent: "Go-http-client/2.0", isMobile: false }), "nightly-integration", "the nightly sync's token from its server");
    } else {
      addConsole(inj, time, random.chance(0.5) ? API_RECORD_VIEW : API_RECORD_EDIT, integration.login, integration.ip, integration.userAgent, random.pick(integration.apps), "nightly-integration", "the nightly sync's API work from its server");
    }
  }

  inj.rows.sort((a, b) => b.time - a.time);
  const events = mergeAuth0Events(auth0Events, inj.events, new Random(seed, "anomaly-ids"));
  for (const { event, label } of inj.pendingAuth0) {
    inj.labels.push({ ...label, externalId: event.log_id, key: labelKeyForAuth0(event) });
  }
  inj.labels.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.key < b.key ? -1 : 1));
  return { consoleRows: inj.rows, auth0Events: events, labels: inj.labels };
}
