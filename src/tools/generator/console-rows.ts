/**
 * Console audit-log rows for the organisation: a session a day per person inside their working
 * hours (login, record work with a lunch dip, sometimes logout), admins' routine Notice actions,
 * heavy exporters' exports, the nightly integration's API operations, system actions by `nobody`,
 * failed logins now and then, and quiet weekends. Exact volumes: the rows of the range number
 * `perDay × days` (or `total`) exactly, spread over days by how busy each day is.
 */
import { FILE_NAMES } from "./catalog.ts";
import {
  ADD_USER, API_RECORD_ADD, API_RECORD_EDIT, API_RECORD_VIEW, APP_DEPLOY, APP_SETTINGS, COMMENT_ADD, CONFIGURE_LOGIN,
  CONFIGURE_SECURITY, DELETE_USER, EDIT_USER, EXPORT_USER, LOGIN, LOGOUT, RECORD_ADD, RECORD_DELETE, RECORD_EDIT,
  RECORD_EXPORT, RECORD_FILE_DOWNLOAD, RECORD_IMPORT, RECORD_VIEW, SCHEDULED_JOB, SECURITY_SETTINGS,
  type ActionSpec, type ConsoleCells,
} from "./console-vocabulary.ts";
import type { Organisation, Person } from "./organisation.ts";
import { Random, apportion } from "./random.ts";
import { DAY_MS, calendarDays, formatLocalDateTime, localToUtc, type CalendarDay } from "./time.ts";

/** One generated console row: its instant (UTC ms) and its cells (Japanese UI values). */
export interface GeneratedConsoleRow {
  time: number;
  cells: ConsoleCells;
}

export interface ConsoleRowOptions {
  /** First day, `YYYY-MM-DD` in the organisation's zone (inclusive). */
  from: string;
  /** Last day, `YYYY-MM-DD` (inclusive). */
  to: string;
  /** Average rows per calendar day (default 1,500 per 80 people). The total is exactly round(perDay × days). */
  perDay?: number;
  /** Exact total number of rows; overrides `perDay`. */
  total?: number;
}

const MINUTE = 60_000;

/** The address and browser a person uses on one day. */
interface DayContext {
  ip: string;
  userAgent: string;
}

/** Everything needed to make rows: shared by the generator and the anomaly injector. */
export interface RowFactory {
  org: Organisation;
  random: Random;
  recordIds: Map<number, number>;
}

/** 2026-01-01 in days since the epoch: record ids grow from there. */
const RECORD_EPOCH_DAY = 20454;

/**
 * A factory drawing from `random`. Record ids grow per app as the tenant is used: `localMidnight`
 * (of the day being generated) sets how many records each app has by then.
 */
export function createRowFactory(org: Organisation, random: Random, localMidnight = 0): RowFactory {
  const age = Math.max(0, Math.floor(localMidnight / DAY_MS) - RECORD_EPOCH_DAY);
  return { org, random, recordIds: new Map(org.apps.map((a) => [a.id, 100 + ((a.id * 37) % 400) + age * (2 + (a.id % 7))])) };
}

function recordId(factory: RowFactory, appId: number): number {
  const top = (factory.recordIds.get(appId) ?? 100) + (factory.random.chance(0.05) ? 1 : 0);
  factory.recordIds.set(appId, top);
  // Mostly recent records, sometimes old ones.
  return factory.random.chance(0.7) ? Math.max(1, top - factory.random.int(0, 30)) : factory.random.int(1, top);
}

/** The complement text kintone writes for an action on an app. */
export function complementFor(factory: RowFactory, spec: ActionSpec, appId: number | null, day: string, extra?: string): string {
  const app = appId === null ? undefined : factory.org.apps.find((a) => a.id === appId);
  const appPart = app ? `app id: ${app.id}, app name: ${app.name}` : "";
  switch (spec.complement) {
    case "none":
      return "";
    case "record":
      return app ? `${appPart}, record id: ${recordId(factory, app.id)}` : "";
    case "file":
      return app ? `${appPart}, record id: ${recordId(factory, app.id)}, file name: ${factory.random.pick(FILE_NAMES)}` : "";
    case "export":
      return app ? `${appPart}, file name: ${app.name}_${day.replaceAll("-", "")}.csv` : `file name: users_${day.replaceAll("-", "")}.csv`;
    case "import":
      return app ? `${appPart}, file name: import_${day.replaceAll("-", "")}.csv` : "";
    case "app":
      return appPart;
    case "user":
      return `user: ${extra ?? "new.member@example.co.jp"}`;
    case "setting":
      return `setting: ${extra ?? factory.random.pick(SECURITY_SETTINGS)}`;
  }
}

/** Builds one row's cells. */
export function makeCells(
  factory: RowFactory,
  time: number,
  spec: ActionSpec,
  user: string,
  context: DayContext,
  appId: number | null,
  result: "SUCCESS" | "FAILED" | "VALIDATION ERROR" = "SUCCESS",
  extra?: string,
): ConsoleCells {
  const date = formatLocalDateTime(factory.org.timezone, time);
  const errorCode = result === "SUCCESS" ? "" : result === "VALIDATION ERROR" ? "CB_VA01" : spec.module === "Authentication" ? "CB_WA01" : "CB_NO02";
  return {
    Date: date,
    Level: spec.level,
    Service: spec.service,
    User: user,
    "IP Address": context.ip,
    "User Agent": context.userAgent,
    Module: spec.module,
    Action: spec.action,
    Result: result,
    "Error Code": errorCode,
    Complement: complementFor(factory, spec, appId, date.slice(0, 10), extra),
  };
}

/** The actions a person does in their record work and how often (relative weights). */
export interface ActionHabit {
  specs: ActionSpec[];
  weights: number[];
}

/**
 * A person's habitual actions. Optional actions (delete, import, download, export) are each
 * done by only part of the staff, so that "an action this account never did" exists.
 */
export function actionHabit(person: Person, org: Organisation): ActionHabit {
  const r = new Random(org.seed, `habit:${person.index}`);
  const specs: ActionSpec[] = [RECORD_VIEW, RECORD_EDIT, RECORD_ADD, COMMENT_ADD];
  const weights: number[] = [34, 26, 18, 6];
  if (person.role === "exporter" || r.chance(0.7)) {
    specs.push(RECORD_FILE_DOWNLOAD);
    weights.push(person.role === "exporter" ? 10 : 5);
  }
  if (r.chance(0.55) || person.role === "admin") {
    specs.push(RECORD_DELETE);
    weights.push(2);
  }
  if (person.role === "exporter") {
    specs.push(RECORD_EXPORT);
    weights.push(6);
  } else if (r.chance(0.12)) {
    specs.push(RECORD_EXPORT);
    weights.push(0.4);
  }
  if (r.chance(0.12) || person.role === "exporter") {
    specs.push(RECORD_IMPORT);
    weights.push(0.6);
  }
  if (person.role === "admin" || r.chance(0.08)) {
    specs.push(APP_SETTINGS);
    weights.push(person.role === "admin" ? 1.5 : 0.5);
  }
  return { specs, weights };
}

function dayContext(person: Person, random: Random): DayContext {
  let ip = person.officeIp;
  if (random.chance(person.awayShare)) {
    const r = random.next();
    if (person.ipv6 && r < 0.2) ip = person.ipv6;
    else if (person.homeIp && r < 0.45) ip = person.homeIp;
    else ip = person.vpnIp;
  }
  return { ip, userAgent: person.browser.raw };
}

/** Minutes after local midnight inside the person's window, with a lunch dip. */
function workMinute(person: Person, random: Random, overtime: number): number {
  const start = person.startMinute;
  const end = person.endMinute + overtime;
  for (let tries = 0; tries < 8; tries++) {
    const m = start + random.next() * (end - start);
    const local = m % 1440;
    if (person.pattern !== "shift" && local >= 720 && local < 780 && !random.chance(0.3)) continue;
    return m;
  }
  return start + random.next() * (end - start);
}

/** Whether the person works on this day. */
function works(person: Person, day: CalendarDay, random: Random): boolean {
  if (person.pattern === "shift") return random.chance(day.isDayOff ? person.dayOffWork : 0.72);
  if (day.isDayOff) return random.chance(person.dayOffWork);
  return random.chance(0.93);
}

/** The instant of local minute `m` (may exceed 1440 or be negative) of `day`, plus `second`. */
function instant(org: Organisation, day: CalendarDay, minute: number): number {
  // Night-shift minutes past midnight are folded onto the same calendar day's early morning,
  // which keeps each day's rows inside that day (the night before's shift ends then).
  const m = ((minute % 1440) + 1440) % 1440;
  return localToUtc(org.timezone, day.localMidnight + Math.min(Math.floor(m * MINUTE), DAY_MS - 1000));
}

/**
 * Rows for the range, newest first (like the console), generated one day at a time so that any
 * volume streams in bounded memory. Each day draws from its own seeded stream, so a day's rows
 * depend only on the seed, the day and that day's share of the volume.
 */
export function* streamConsoleRows(org: Organisation, options: ConsoleRowOptions): Generator<GeneratedConsoleRow> {
  const days = calendarDays(options.from, options.to);
  const total = Math.max(0, Math.round(options.total ?? (options.perDay ?? (1500 * org.people.length) / 80) * days.length));
  const plan = new Random(org.seed, `console-plan:${options.from}:${options.to}:${total}`);
  const habits = org.people.map((p) => actionHabit(p, org));
  const budgets = apportion(total, days.map((d) => (d.isDayOff ? 0.07 : 1) * (0.9 + plan.next() * 0.2)));
  for (let i = days.length - 1; i >= 0; i--) {
    const day = days[i] as CalendarDay;
    const budget = budgets[i] ?? 0;
    if (budget <= 0) continue;
    const factory = createRowFactory(org, new Random(org.seed, `console-day:${day.key}:${budget}`), day.localMidnight);
    const rows: GeneratedConsoleRow[] = [];
    generateDay(factory, day, budget, habits, rows);
    rows.sort((a, b) => b.time - a.time);
    yield* rows;
  }
}

/** All rows for the range in one array, newest first (see streamConsoleRows). */
export function generateConsoleRows(org: Organisation, options: ConsoleRowOptions): GeneratedConsoleRow[] {
  return [...streamConsoleRows(org, options)];
}

function generateDay(factory: RowFactory, day: CalendarDay, budget: number, habits: ActionHabit[], rows: GeneratedConsoleRow[]): void {
  const { org, random } = factory;
  let left = budget;
  const push = (time: number, cells: ConsoleCells): void => {
    if (left <= 0) return;
    rows.push({ time, cells });
    left--;
  };

  // Nightly integration 01:00–03:00, about 4% of a day's rows (at least one a night).
  const integration = org.integration;
  const integrationRows = Math.min(left, Math.max(1, Math.round(budget * 0.04)));
  const apiContext = { ip: integration.ip, userAgent: integration.userAgent };
  for (let k = 0; k < integrationRows; k++) {
    const minute = integration.startMinute + random.next() * (integration.endMinute - integration.startMinute);
    const spec = random.weighted([API_RECORD_VIEW, API_RECORD_EDIT, API_RECORD_ADD], [5, 3, 2]);
    const time = instant(org, day, minute);
    push(time, makeCells(factory, time, spec, integration.login, apiContext, random.pick(integration.apps), random.chance(0.004) ? "VALIDATION ERROR" : "SUCCESS"));
  }

  // System actions and failed logins of unknown users, both logged as `nobody`.
  const systemRows = Math.min(left, random.chance(Math.min(1, budget * 0.003)) ? Math.max(1, Math.round(budget * 0.002)) : 0);
  for (let k = 0; k < systemRows; k++) {
    const time = instant(org, day, random.chance(0.5) ? 4 * 60 + random.next() * 30 : random.next() * 1440);
    if (random.chance(0.6)) {
      push(time, makeCells(factory, time, SCHEDULED_JOB, "nobody", { ip: "", userAgent: "" }, null, "SUCCESS", random.pick(["daily maintenance", "usage statistics", "storage cleanup"])));
    } else {
      const ip = `${random.pick(["45.90", "103.152", "185.220", "91.240"])}.${random.int(0, 255)}.${random.int(1, 254)}`;
      push(time, makeCells(factory, time, LOGIN, "nobody", { ip, userAgent: "python-requests/2.32.3" }, null, "FAILED"));
    }
  }

  // The people at work today share the rest, in proportion to how active they are.
  const present = org.people.filter((p) => works(p, day, random));
  if (left <= 0) return;
  // Somebody always works when the day has rows to give (a shift worker if there is one).
  if (present.length === 0) present.push(org.people.find((p) => p.pattern === "shift") ?? random.pick(org.people));
  const weights = present.map((p) => p.activity * (p.role === "exporter" ? 1.4 : 1));
  const shares = apportion(left, weights);
  present.forEach((person, i) => {
    const n = shares[i] ?? 0;
    if (n > 0) generateSession(factory, person, habits[person.index] as ActionHabit, day, n, push);
  });
}

function generateSession(
  factory: RowFactory,
  person: Person,
  habit: ActionHabit,
  day: CalendarDay,
  n: number,
  push: (time: number, cells: ConsoleCells) => void,
): void {
  const { org, random } = factory;
  const context = dayContext(person, random);
  const overtime = random.chance(0.15) ? random.int(45, 150) : 0;
  const loginMinute = person.startMinute + Math.max(-25, Math.min(40, random.normal(0, 12)));
  const loginTime = instant(org, day, loginMinute);
  let made = 0;

  if (random.chance(0.025) && n >= 3) {
    const failedAt = Math.max(instant(org, day, 0), loginTime - random.int(5_000, 60_000));
    push(failedAt, makeCells(factory, failedAt, LOGIN, person.login, context, null, "FAILED"));
    made++;
  }
  push(loginTime, makeCells(factory, loginTime, LOGIN, person.login, context, null));
  made++;

  const wantsLogout = n - made >= 2 && random.chance(0.45);
  const middle = n - made - (wantsLogout ? 1 : 0);
  const minutes: number[] = [];
  for (let k = 0; k < middle; k++) minutes.push(Math.max(loginMinute + 1, workMinute(person, random, overtime)));
  minutes.sort((a, b) => a - b);

  // Admins' routine Notice work, a few times a week.
  const adminActions: ActionSpec[] = [];
  if (person.role === "admin") {
    if (random.chance(0.35)) adminActions.push(CONFIGURE_SECURITY);
    if (random.chance(0.25)) adminActions.push(EXPORT_USER);
    if (random.chance(0.5)) adminActions.push(random.weighted([ADD_USER, EDIT_USER, DELETE_USER, CONFIGURE_LOGIN], [3, 5, 1, 1]));
    if (random.chance(0.15)) adminActions.push(APP_DEPLOY);
  }

  let mobileFrom = -1;
  if (person.mobile && middle > 6 && random.chance(0.25)) mobileFrom = Math.floor(middle * (0.6 + random.next() * 0.3));
  const mobileContext: DayContext = { ip: person.mobileIps.length > 0 ? random.pick(person.mobileIps) : context.ip, userAgent: person.mobile?.raw ?? "" };

  for (let k = 0; k < minutes.length; k++) {
    const minute = minutes[k] as number;
    const time = instant(org, day, minute);
    const ctx = mobileFrom >= 0 && k >= mobileFrom ? mobileContext : context;
    if (k === mobileFrom) {
      push(time, makeCells(factory, time, LOGIN, person.login, ctx, null));
      continue;
    }
    const admin = adminActions.length > 0 && random.chance(0.3) ? adminActions.pop() : undefined;
    if (admin) {
      const extra = admin.complement === "user" ? `${random.pick(["new", "temp", "intern"])}.${random.int(1, 99)}@example.co.jp` : undefined;
      const appId = admin.complement === "app" ? random.pick(org.apps).id : null;
      push(time, makeCells(factory, time, admin, person.login, ctx, appId, "SUCCESS", extra));
      continue;
    }
    const spec = random.weighted(habit.specs, habit.weights);
    const appId = random.weighted(person.apps, person.appWeights);
    let result: "SUCCESS" | "FAILED" | "VALIDATION ERROR" = "SUCCESS";
    if ((spec === RECORD_ADD || spec === RECORD_EDIT) && random.chance(0.012)) result = "VALIDATION ERROR";
    else if (random.chance(0.002)) result = "FAILED";
    push(time, makeCells(factory, time, spec, person.login, ctx, appId, result));
  }

  if (wantsLogout) {
    const last = minutes.length > 0 ? (minutes[minutes.length - 1] as number) : loginMinute;
    const time = instant(org, day, Math.max(last + 1, person.endMinute + overtime + random.normal(0, 10)));
    push(time, makeCells(factory, time, LOGOUT, person.login, context, null));
  }
}
