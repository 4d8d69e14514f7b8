/**
 * Auth0 tenant log events for the same organisation, shaped like the Management API's
 * `GET /api/v2/logs` entries and the log stream's `detail.data` (seed 001): `date` ISO with
 * milliseconds and Z, `type`, `description`, client, connection, `ip`, parsed `user_agent`,
 * `user_id`, `user_name`, `hostname`, `log_id` (56 digits, strictly increasing in time order),
 * type-dependent `details`, `location_info`, `isMobile`, `scope` (string or array), `audience`,
 * `strategy`, `strategy_type`, `tenant_name`.
 */
import type { JsonObject, JsonValue } from "../../core/types.ts";
import type { Organisation, Person } from "./organisation.ts";
import { Random, apportion } from "./random.ts";
import { DAY_MS, calendarDays, localToUtc, type CalendarDay } from "./time.ts";

/** An Auth0 log event (bare, as the API returns it and as `detail.data` carries it). */
export interface Auth0LogEvent {
  date: string;
  type: string;
  description: string;
  log_id: string;
  [field: string]: JsonValue;
}

export interface Auth0EventOptions {
  /** First day, `YYYY-MM-DD` in the organisation's zone (inclusive). */
  from: string;
  /** Last day, `YYYY-MM-DD` (inclusive). */
  to: string;
  /** Average events per calendar day (default 40 per 80 people: about 2,400 over two months for 80). */
  perDay?: number;
  /** Exact total number of events; overrides `perDay`. */
  total?: number;
}

const MINUTE = 60_000;
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM_DASH = `${ALNUM}-_`;

/** The management scopes a machine-to-machine client is granted (as in seed 000, shortened). */
export const M2M_SCOPE = "read:users update:users create:users read:users_app_metadata update:users_app_metadata read:roles read:role_members create:role_members read:logs read:logs_users read:organizations read:organization_members";

/** What the generator and the anomaly injector share: organisation, random stream, counters. */
export interface Auth0Factory {
  org: Organisation;
  random: Random;
  loginCounts: Map<string, number>;
}

export function createAuth0Factory(org: Organisation, random: Random): Auth0Factory {
  return { org, random, loginCounts: new Map() };
}

/** Where an event comes from: address, parsed and raw browser, mobile or not. */
export interface Auth0Context {
  ip: string;
  userAgent: string;
  isMobile: boolean;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function locationFor(org: Organisation, ip: string): JsonObject | null {
  if (ip.startsWith("198.51.100.")) return { country_code: "JP", country_code3: "JPN", country_name: "Japan", city_name: "Osaka", latitude: 34.6937, longitude: 135.5023, time_zone: "Asia/Tokyo", continent_code: "AS" };
  if (ip.includes(":") || ip.startsWith("203.0.113.") || ip.startsWith("192.0.2.") || ip.startsWith("198.18.")) return { country_code: "JP", country_code3: "JPN", country_name: "Japan", city_name: "Tokyo", latitude: 35.6893, longitude: 139.6899, time_zone: org.timezone, continent_code: "AS" };
  if (/^(126|60|110|153|180|219|114|124|118|221|106|49|1)\./.test(ip)) return { country_code: "JP", country_code3: "JPN", country_name: "Japan", city_name: "Yokohama", latitude: 35.4437, longitude: 139.638, time_zone: "Asia/Tokyo", continent_code: "AS" };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return { country_code: "NL", country_code3: "NLD", country_name: "Netherlands", city_name: "Amsterdam", latitude: 52.3676, longitude: 4.9041, time_zone: "Europe/Amsterdam", continent_code: "EU" };
  return null;
}

/** The base fields every event carries. */
function base(factory: Auth0Factory, time: number, type: string, description: string, ctx: Auth0Context): Auth0LogEvent {
  const event: Auth0LogEvent = {
    date: iso(time),
    type,
    description,
    ip: ctx.ip,
    user_agent: ctx.userAgent,
    hostname: factory.org.auth0Domain,
    log_id: "",
    tenant_name: factory.org.auth0Tenant,
    isMobile: ctx.isMobile,
  };
  const location = locationFor(factory.org, ctx.ip);
  if (location) event.location_info = location;
  return event;
}

function withUser(factory: Auth0Factory, event: Auth0LogEvent, person: Person, clientIndex: number): Auth0LogEvent {
  const org = factory.org;
  const connection = org.auth0Connections[person.auth0Connection] ?? org.auth0Connections[0]!;
  const client = org.auth0Clients[clientIndex] ?? org.auth0Clients[0]!;
  event.connection = connection.name;
  event.connection_id = connection.id;
  event.client_id = client.id;
  event.client_name = client.name;
  event.user_id = person.auth0UserId;
  event.user_name = person.email;
  event.strategy = connection.strategy;
  event.strategy_type = connection.strategyType;
  return event;
}

function sessionId(random: Random): string {
  return random.chars(ALNUM_DASH, 32);
}

/** A successful login (`s`) with its prompts, as in seed 001. */
export function loginEvent(factory: Auth0Factory, time: number, person: Person, ctx: Auth0Context, clientIndex = 1): Auth0LogEvent {
  const { random } = factory;
  const count = (factory.loginCounts.get(person.auth0UserId) ?? random.int(5, 60)) + 1;
  factory.loginCounts.set(person.auth0UserId, count);
  const connection = factory.org.auth0Connections[person.auth0Connection] ?? factory.org.auth0Connections[0]!;
  const elapsed = random.int(1500, 25000);
  const started = time - elapsed;
  const prompts: JsonValue[] = [];
  if (connection.strategyType === "social") {
    prompts.push({ name: "federated-authenticate", initiatedAt: started + 5, completedAt: time - 40, connection: connection.name, connection_id: connection.id, strategy: connection.strategy, identity: person.auth0UserId.split("|")[1] ?? "", stats: { loginsCount: count }, elapsedTime: elapsed - 45 });
  } else {
    prompts.push({ name: "lock-password-authenticate", initiatedAt: started + 5, completedAt: time - 60, user_id: person.auth0UserId, user_name: person.email, elapsedTime: elapsed - 65 });
  }
  if (person.mfa) prompts.push({ name: "mfa", initiatedAt: time - 50, completedAt: time - 10, performed_amr: ["mfa"], elapsedTime: 40 });
  prompts.push({ name: "login", flow: "universal-login", initiatedAt: started + 2, completedAt: time - 5, user_id: person.auth0UserId, user_name: person.email, elapsedTime: elapsed - 7 });
  const event = withUser(factory, base(factory, time, "s", "", ctx), person, clientIndex);
  event.details = {
    prompts,
    initiatedAt: started,
    completedAt: time,
    elapsedTime: elapsed,
    session_id: sessionId(random),
    device_id: `v0:${random.uuid()}`,
    stats: { loginsCount: count },
  };
  return event;
}

/** A failed login: `fp` (wrong password), `f` (generic) or `fu` (unknown user). */
export function failedLoginEvent(factory: Auth0Factory, time: number, type: "f" | "fp" | "fu", person: Person | null, ctx: Auth0Context, userName?: string): Auth0LogEvent {
  const description = type === "fu" ? "Wrong email or password." : type === "fp" ? "Wrong email or password." : "Wrong email or password.";
  let event = base(factory, time, type, description, ctx);
  if (person) {
    event = withUser(factory, event, person, 1);
    if (type === "fu") event.user_id = "";
  } else {
    const connection = factory.org.auth0Connections[0]!;
    const client = factory.org.auth0Clients[1]!;
    Object.assign(event, { connection: connection.name, connection_id: connection.id, client_id: client.id, client_name: client.name, user_id: "", user_name: userName ?? "unknown@example.co.jp", strategy: connection.strategy, strategy_type: connection.strategyType });
  }
  if (userName !== undefined) event.user_name = userName;
  event.details = { error: { message: description } };
  return event;
}

/** Machine credentials exchanged for a token (`seccft`), as in seed 000. */
export function clientCredentialsEvent(factory: Auth0Factory, time: number, clientIndex: number, ctx: Auth0Context, scopeAsArray = false): Auth0LogEvent {
  const client = factory.org.auth0Clients[clientIndex] ?? factory.org.auth0Clients[3]!;
  const event = base(factory, time, "seccft", "Client Credentials for Access Token", ctx);
  Object.assign(event, {
    connection_id: "",
    client_id: client.id,
    client_name: client.name,
    user_id: "",
    user_name: "",
    audience: `https://${factory.org.auth0Domain}/api/v2/`,
    scope: scopeAsArray ? M2M_SCOPE.split(" ") : M2M_SCOPE,
  });
  return event;
}

/** A Management API write (`sapi`) with `details.request.{method,path,channel,auth}`. */
export function sapiEvent(factory: Auth0Factory, time: number, actor: { person: Person | null; clientIndex: number }, ctx: Auth0Context, method: string, path: string, description: string, body: JsonObject = {}, statusCode = 200): Auth0LogEvent {
  const { org, random } = factory;
  const client = org.auth0Clients[actor.clientIndex] ?? org.auth0Clients[4]!;
  const event = base(factory, time, "sapi", description, ctx);
  const auth: JsonObject = actor.person
    ? { user: { user_id: actor.person.auth0UserId, name: actor.person.displayName, email: actor.person.email }, strategy: "jwt", credentials: { jti: random.hex(32) } }
    : { strategy: "jwt", credentials: { jti: random.hex(32), scopes: M2M_SCOPE.split(" ").slice(0, 4) }, client: { client_id: client.id, name: client.name } };
  Object.assign(event, {
    client_id: client.id,
    client_name: actor.person ? "" : client.name,
    user_id: actor.person?.auth0UserId ?? "",
    user_name: actor.person?.email ?? "",
    details: {
      request: { method, path, query: {}, userAgent: ctx.userAgent, body, channel: actor.person ? "https://manage.auth0.com/" : "api", ip: ctx.ip, auth },
      response: { statusCode, body: statusCode < 300 ? { id: random.hex(24) } : { error: "Bad Request" } },
    },
  });
  return event;
}

function simpleUserEvent(factory: Auth0Factory, time: number, type: string, description: string, person: Person, ctx: Auth0Context, clientIndex: number, details?: JsonObject): Auth0LogEvent {
  const event = withUser(factory, base(factory, time, type, description, ctx), person, clientIndex);
  if (details) event.details = details;
  return event;
}

/** The Management API path that creates a users-export job (an export, for the report). */
export const USERS_EXPORT_PATH = "/api/v2/jobs/users-exports";

/** Admin actions in the Management API with their paths; `critical` ones touch tenant-wide settings. */
const ADMIN_SAPI: readonly { method: string; path: (f: Auth0Factory) => string; description: string; weight: number }[] = [
  { method: "patch", path: (f) => `/api/v2/users/${encodeURIComponent(f.random.pick(f.org.people).auth0UserId)}`, description: "Update a User", weight: 40 },
  { method: "post", path: () => "/api/v2/users", description: "Create a User", weight: 12 },
  { method: "post", path: (f) => `/api/v2/roles/rol_${f.random.chars(ALNUM, 16)}/users`, description: "Assign users to a role", weight: 10 },
  { method: "delete", path: (f) => `/api/v2/users/${encodeURIComponent(f.random.pick(f.org.people).auth0UserId)}`, description: "Delete a User", weight: 3 },
  { method: "post", path: () => USERS_EXPORT_PATH, description: "Create a users export job", weight: 6 },
  { method: "patch", path: (f) => `/api/v2/clients/${f.random.pick(f.org.auth0Clients).id}`, description: "Update a Client", weight: 4 },
  { method: "patch", path: () => "/api/v2/tenants/settings", description: "Update tenant settings", weight: 2 },
  { method: "patch", path: () => "/api/v2/attack-protection/brute-force-protection", description: "Update Brute-force settings", weight: 1 },
  { method: "patch", path: (f) => `/api/v2/connections/${f.random.pick(f.org.auth0Connections).id}`, description: "Update a Connection", weight: 2 },
];

/** A routine admin sapi event (may be a users-export job or a critical settings write). */
export function adminSapiEvent(factory: Auth0Factory, time: number, admin: Person, ctx: Auth0Context, only?: string): Auth0LogEvent {
  const choices = only ? ADMIN_SAPI.filter((a) => a.description === only) : ADMIN_SAPI;
  const choice = factory.random.weighted(choices, choices.map((c) => c.weight));
  const path = choice.path(factory);
  const body: JsonObject = path === USERS_EXPORT_PATH ? { format: "csv", fields: [{ name: "email" }, { name: "user_id" }, { name: "last_login" }] } : {};
  return sapiEvent(factory, time, { person: admin, clientIndex: 4 }, ctx, choice.method, path, choice.description, body);
}

/** Where a person is today, for Auth0 (mostly the office address, sometimes VPN/home/IPv6/phone). */
export function auth0Context(person: Person, random: Random): Auth0Context {
  let ip = person.officeIp;
  if (random.chance(person.awayShare)) {
    const r = random.next();
    if (person.ipv6 && r < 0.2) ip = person.ipv6;
    else if (person.homeIp && r < 0.45) ip = person.homeIp;
    else ip = person.vpnIp;
  }
  const mobile = person.mobile && random.chance(0.12) ? person.mobile : null;
  const browser = mobile ?? person.browser;
  if (mobile && person.mobileIps.length > 0) ip = random.pick(person.mobileIps);
  // Auth0 mostly logs the parsed form; some entries keep the raw header.
  return { ip, userAgent: random.chance(0.88) ? browser.parsed : browser.raw, isMobile: browser.isMobile };
}

/**
 * Assigns 56-digit log ids, strictly increasing in (date, array order), to events already
 * sorted by date: "900", the event time as YYYYMMDDHHmmssSSS, an 8-digit sequence number and
 * 28 random digits.
 */
export function assignLogIds(events: Auth0LogEvent[], random: Random): void {
  events.forEach((event, i) => {
    const stamp = event.date.replace(/[-:T.Z]/g, "").slice(0, 17).padEnd(17, "0");
    event.log_id = `900${stamp}${String(i).padStart(8, "0")}${random.digits(28)}`;
  });
}

/** Sorts by date (stable) and assigns log ids; mirrors `detail.log_id` requirements. */
export function finalizeAuth0Events(events: Auth0LogEvent[], random: Random): Auth0LogEvent[] {
  const sorted = events.map((e, i) => ({ e, i, t: Date.parse(e.date) })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.e);
  assignLogIds(sorted, random);
  return sorted;
}

function at(org: Organisation, day: CalendarDay, minute: number, random: Random): number {
  const m = ((minute % 1440) + 1440) % 1440;
  return localToUtc(org.timezone, day.localMidnight + Math.floor(m * MINUTE)) + random.int(0, 59_999);
}

/**
 * Auth0 events for the range, oldest first (log-id order), generated one day at a time so that
 * any volume streams in bounded memory. Each day draws from its own seeded stream. The count is
 * exactly `total` (or round(perDay × days)).
 */
export function* streamAuth0Events(org: Organisation, options: Auth0EventOptions): Generator<Auth0LogEvent> {
  const days = calendarDays(options.from, options.to);
  const total = Math.max(0, Math.round(options.total ?? (options.perDay ?? (40 * org.people.length) / 80) * days.length));
  const plan = new Random(org.seed, `auth0-plan:${options.from}:${options.to}:${total}`);
  const budgets = apportion(total, days.map((d) => (d.isDayOff ? 0.2 : 1) * (0.85 + plan.next() * 0.3)));
  const ids = new Random(org.seed, `auth0-ids:${options.from}:${options.to}:${total}`);
  let sequence = 0;
  for (let i = 0; i < days.length; i++) {
    const day = days[i] as CalendarDay;
    const budget = budgets[i] ?? 0;
    if (budget <= 0) continue;
    const factory = createAuth0Factory(org, new Random(org.seed, `auth0-day:${day.key}:${budget}`));
    const dayEvents: Auth0LogEvent[] = [];
    generateAuth0Day(factory, day, budget, dayEvents);
    // Keep every event inside its day, so that days concatenate in time order.
    const start = localToUtc(org.timezone, day.localMidnight);
    const end = localToUtc(org.timezone, day.localMidnight + DAY_MS) - 1;
    const timed = dayEvents.map((e, k) => ({ e, k, t: Math.min(end, Math.max(start, Date.parse(e.date))) }));
    timed.sort((a, b) => a.t - b.t || a.k - b.k);
    for (const { e, t } of timed) {
      e.date = iso(t);
      const stamp = e.date.replace(/[-:T.Z]/g, "").slice(0, 17);
      e.log_id = `900${stamp}${String(sequence++).padStart(8, "0")}${ids.digits(28)}`;
      yield e;
    }
  }
}

/** All events for the range in one array, oldest first (see streamAuth0Events). */
export function generateAuth0Events(org: Organisation, options: Auth0EventOptions): Auth0LogEvent[] {
  return [...streamAuth0Events(org, options)];
}

function generateAuth0Day(factory: Auth0Factory, day: CalendarDay, budget: number, out: Auth0LogEvent[]): void {
  const { org, random } = factory;
  const dayEvents: Auth0LogEvent[] = [];
  const integration = org.integration;
  const serverCtx: Auth0Context = { ip: integration.ip, userAgent: "Go-http-client/2.0", isMobile: false };

  // The nightly sync: one token a night, then a user update now and then.
  if (budget >= 3) {
    const time = at(org, day, integration.startMinute + random.next() * 30, random);
    dayEvents.push(clientCredentialsEvent(factory, time, integration.auth0Client, serverCtx, random.chance(0.2)));
    if (budget >= 6 && random.chance(0.5)) {
      const who = random.pick(org.people);
      dayEvents.push(sapiEvent(factory, time + random.int(2_000, 40 * MINUTE), { person: null, clientIndex: integration.auth0Client }, serverCtx, "patch", `/api/v2/users/${encodeURIComponent(who.auth0UserId)}`, "Update a User", { app_metadata: { department: who.department } }));
    }
  }

  const present = org.people.filter((p) => (p.pattern === "shift" ? random.chance(day.isDayOff ? p.dayOffWork : 0.72) : random.chance(day.isDayOff ? p.dayOffWork * 2 : 0.93)));
  if (present.length === 0) present.push(random.pick(org.people));
  const admins = present.filter((p) => p.role === "admin");
  while (present.length > 0 && dayEvents.length < budget) {
    const person = random.weighted(present, present.map((p) => p.activity * (p.role === "admin" ? 1.5 : 1)));
    const ctx = auth0Context(person, random);
    const startMinute = person.startMinute + random.normal(0, 12);
    const anyMinute = person.startMinute + random.next() * (person.endMinute - person.startMinute);
    const r = random.next();
    if (r < 0.5) {
      // A login: sometimes a mistyped password first, MFA for some, then the code exchange.
      let time = at(org, day, random.chance(0.75) ? startMinute : anyMinute, random);
      if (random.chance(0.05)) {
        dayEvents.push(failedLoginEvent(factory, time - random.int(10_000, 90_000), random.chance(0.7) ? "fp" : "f", person, ctx));
      }
      if (person.mfa && random.chance(0.5)) {
        dayEvents.push(simpleUserEvent(factory, time - 8_000, "gd_send_pn", "Push notification sent", person, ctx, 1, { notification: { type: "push" } }));
        dayEvents.push(simpleUserEvent(factory, time - 3_000, "gd_auth_succeed", "Second factor authentication succeeded", person, ctx, 1, { authenticator: { type: "push" } }));
      }
      const clientIndex = random.chance(0.2) ? 0 : ctx.isMobile ? 2 : 1;
      dayEvents.push(loginEvent(factory, time, person, ctx, clientIndex));
      time += random.int(200, 1500);
      const exchange = simpleUserEvent(factory, time, "seacft", "Authorization Code for Access Token", person, ctx, clientIndex, { code: `*************${random.chars(ALNUM, 4)}` });
      exchange.audience = `https://portal.example.co.jp/api`;
      exchange.scope = random.chance(0.5) ? ["openid", "profile", "email", "offline_access"] : "openid profile email offline_access";
      dayEvents.push(exchange);
    } else if (r < 0.72) {
      const time = at(org, day, anyMinute, random);
      dayEvents.push(simpleUserEvent(factory, time, "ssa", "Successful silent authentication", person, ctx, 0, { prompts: [], initiatedAt: time - 120, completedAt: time, elapsedTime: 120, session_id: sessionId(random) }));
    } else if (r < 0.76) {
      dayEvents.push(simpleUserEvent(factory, at(org, day, anyMinute, random), "scoa", "Successful cross-origin authentication", person, ctx, 0));
    } else if (r < 0.84) {
      const time = at(org, day, person.endMinute + random.normal(0, 15), random);
      dayEvents.push(simpleUserEvent(factory, time, "slo", "User successfully logged out", person, ctx, 0, { return_to: "https://portal.example.co.jp/", allowed_logout_url: ["https://portal.example.co.jp/"], session_id: sessionId(random) }));
    } else if (r < 0.86) {
      // Some people habitually mistype their address: an unknown user name, no user id.
      const typist = person.typo ? person : random.pick(org.people.filter((p) => p.typo !== null).concat(person));
      const typistCtx = typist === person ? ctx : auth0Context(typist, random);
      const typo = typist.typo ?? typist.email.replace("@", ".@");
      dayEvents.push(failedLoginEvent(factory, at(org, day, typist.startMinute + random.normal(0, 12), random), "fu", typist, typistCtx, typo));
    } else if (r < 0.87) {
      dayEvents.push(simpleUserEvent(factory, at(org, day, anyMinute, random), "scp", "Change password", person, ctx, 0));
    } else if (r < 0.97 && admins.length > 0) {
      const admin = random.pick(admins);
      const adminCtx = auth0Context(admin, random);
      const time = at(org, day, admin.startMinute + random.next() * (admin.endMinute - admin.startMinute), random);
      if (random.chance(0.06)) {
        const event = sapiEvent(factory, time, { person: admin, clientIndex: 4 }, adminCtx, "get", `/api/v2/clients/${random.pick(org.auth0Clients).id}`, "API GET operation returning secrets completed successfully");
        event.type = "mgmt_api_read";
        (event.details as JsonObject).accessedSecrets = ["client_secret"];
        dayEvents.push(event);
      } else {
        dayEvents.push(adminSapiEvent(factory, time, admin, adminCtx));
      }
    } else {
      const time = at(org, day, anyMinute, random);
      dayEvents.push(simpleUserEvent(factory, time, "ssa", "Successful silent authentication", person, ctx, 0, { prompts: [], initiatedAt: time - 95, completedAt: time, elapsedTime: 95, session_id: sessionId(random) }));
    }
  }
  // A day's episodes may overshoot by a few events; drop from the end to keep the count exact.
  dayEvents.length = Math.min(dayEvents.length, budget);
  out.push(...dayEvents);
}

const ID_SPAN = 10n ** 36n;

/**
 * Merges `added` events (log ids not yet set) into `sorted` events (already in log-id order),
 * by date, giving each added event a log id between its neighbours' so that the existing ids
 * stay unchanged and all ids remain 56 digits and strictly increasing. Returns a new array.
 */
export function mergeAuth0Events(sorted: readonly Auth0LogEvent[], added: readonly Auth0LogEvent[], random: Random): Auth0LogEvent[] {
  const incoming = added.map((e, i) => ({ e, i, t: Date.parse(e.date) })).sort((a, b) => a.t - b.t || a.i - b.i);
  const out: Auth0LogEvent[] = [];
  let k = 0;
  const max = 10n ** 56n - 1n;
  for (let j = 0; j <= sorted.length; j++) {
    const next = sorted[j];
    const nextTime = next ? Date.parse(next.date) : Infinity;
    while (k < incoming.length && (incoming[k] as { t: number }).t < nextTime) {
      const event = (incoming[k] as { e: Auth0LogEvent }).e;
      const prev = out[out.length - 1];
      const stamp = event.date.replace(/[-:T.Z]/g, "").slice(0, 17).padEnd(17, "0");
      const floor = BigInt(`900${stamp}`) * ID_SPAN;
      const lower = prev ? (BigInt(prev.log_id) + 1n > floor ? BigInt(prev.log_id) + 1n : floor) : floor;
      const upper = next ? BigInt(next.log_id) - 1n : max;
      const room = upper - lower;
      if (room < 0n) throw new Error(`no log id left between ${prev?.log_id ?? "start"} and ${next?.log_id ?? "end"}`);
      const offset = room > 0n ? BigInt(random.uint32()) * BigInt(random.uint32()) % (room < 10n ** 18n ? room : 10n ** 18n) : 0n;
      event.log_id = (lower + offset).toString().padStart(56, "0");
      out.push(event);
      k++;
    }
    if (next) out.push(next);
  }
  return out;
}
