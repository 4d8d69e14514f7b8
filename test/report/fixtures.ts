/**
 * Test fixtures for detection and the report: an in-memory migrated PGlite, a config from a
 * small environment, and events built field by field (deterministic, known section membership).
 */
import { DateTime } from "luxon";
import { type Config } from "../../src/core/config.ts";
import { loadConfig } from "../../src/sources/config.ts";
import type { AuditEvent } from "../../src/core/types.ts";
import type { Database } from "../../src/store/database.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { storeEvents } from "../../src/store/events.ts";

/** A fresh migrated in-memory PGlite (copied from the shared template). */
export async function openTestDatabase(): Promise<Database> {
  return openTestPglite();
}

export function testConfig(env: Record<string, string> = {}): Config {
  // These tests pin the classic vector's exact distances and sections; the default (profile) has its own tests in test/profile.
  return loadConfig({ REPORT_TIMEZONE: "Asia/Tokyo", LOG_LEVEL: "silent", FEATURE_SET: "classic", ...env });
}

/** The raw cells of a console login row (its Module): with action "login", a login or failed login by result. */
export const LOGIN_ROW = { Module: "Authentication" };
/** The raw record of an Auth0 Management API call creating a users-export job: an export. */
export const USERS_EXPORT = { type: "sapi", details: { request: { method: "POST", path: "/api/v2/jobs/users-exports" } } };

let counter = 0;

/** An event at local time `local` ("2026-10-05T10:15:00") in `zone`, console by default. */
export function event(local: string, fields: Partial<AuditEvent> = {}, zone = "Asia/Tokyo"): AuditEvent {
  const occurredAt = DateTime.fromISO(local, { zone }).toJSDate();
  counter++;
  const ip = fields.ip ?? "203.0.113.10";
  return {
    source: "kintone",
    tenant: "example.cybozu.com",
    externalId: `x${counter}-${occurredAt.getTime()}`,
    occurredAt,
    account: "alice",
    action: "Record view",
    ip,
    ipParsed: /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? ip : null,
    appId: "12",
    appName: "顧客管理",
    userAgent: "Mozilla/5.0",
    level: "情報",
    result: "SUCCESS",
    isExport: false,
    isCritical: false,
    isLogin: false,
    isFailedLogin: false,
    raw: {},
    ...fields,
  };
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const OFFICE_ACCOUNTS = ["alice", "bob", "carol", "dave", "erin"];
export const OFFICE_ACTIONS = ["Record view", "Record edit", "Record add", "login", "App view"];

/**
 * An ordinary month of office work: `perDay` events each weekday-ish day between 09:00 and
 * 18:00 local, five accounts, a handful of actions, addresses in 203.0.113.0/24, apps 10–14.
 */
export function officeMonth(month: string, perDay: number, seed = 1, overrides: Partial<AuditEvent> = {}): AuditEvent[] {
  const rnd = random(seed);
  const start = DateTime.fromISO(`${month}-01`, { zone: "Asia/Tokyo" });
  const out: AuditEvent[] = [];
  for (let d = 0; d < start.daysInMonth!; d++) {
    const day = start.plus({ days: d });
    for (let i = 0; i < perDay; i++) {
      const seconds = 9 * 3600 + Math.floor(rnd() * 9 * 3600);
      const local = day.plus({ seconds }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
      const action = OFFICE_ACTIONS[Math.floor(rnd() * OFFICE_ACTIONS.length)]!;
      out.push(event(local, {
        account: OFFICE_ACCOUNTS[Math.floor(rnd() * OFFICE_ACCOUNTS.length)]!,
        action,
        ip: `203.0.113.${10 + Math.floor(rnd() * 20)}`,
        appId: String(10 + Math.floor(rnd() * 5)),
        isLogin: action === "login",
        ...overrides,
      }));
    }
  }
  return out;
}

export async function store(db: Database, events: AuditEvent[]): Promise<void> {
  await storeEvents(db, events);
}
