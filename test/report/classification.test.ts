/**
 * One classification: the report applies each source's rules under the current configuration to
 * the events already stored, both ways. An event the normaliser flagged under the old settings is
 * no longer in a section once the settings leave it out, and one they now include is added. An
 * event of a source no longer registered keeps the flags stored with it.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { AuditEvent } from "../../src/core/types.ts";
import { buildReport } from "../../src/report/build-report.ts";
import { normalizeAuth0Event } from "../../src/sources/auth0/normalize.ts";
import { normalizeConsoleRow } from "../../src/sources/kintone/normalize.ts";
import type { Database } from "../../src/store/database.ts";
import { event, openTestDatabase, store, testConfig } from "./fixtures.ts";

const TODAY = "2026-11-23"; // reported day 2026-11-22 in Asia/Tokyo
const NOW = { now: new Date("2026-11-23T00:00:00Z") };
let db: Database;

/** Normalised under `env`'s settings, as collect or import would have stored it. */
function auth0Event(type: string, id: string, env: Record<string, string>, details?: unknown): AuditEvent {
  const record = { log_id: id, date: "2026-11-22T01:00:00Z", type, user_name: "alice", ip: "203.0.113.5", client_id: "cli1", ...(details ? { details } : {}) };
  const result = normalizeAuth0Event(record, "acme.eu.auth0.com", "record 1", testConfig(env));
  assert.ok(result.ok);
  return result.event;
}

function consoleEvent(action: string, level: string, env: Record<string, string>): AuditEvent {
  const cells = { Date: "2026-11-22 10:00:00", Level: level, Service: "kintone", User: "bob", "IP Address": "203.0.113.9", "User Agent": "Mozilla/5.0", Module: "App", Action: action, Result: "SUCCESS", "Error Code": "", Complement: "" };
  const result = normalizeConsoleRow({ line: 2, cells, ordinal: 0 }, "example.cybozu.com", "audit.csv", testConfig(env));
  assert.ok(result.ok);
  return result.event;
}

const SETTINGS_WRITE = { request: { method: "PATCH", path: "/api/v2/tenants/settings" } };
const OLD = { AUTH0_CRITICAL_TYPES: "pwd_leak,limit_wc", EXPORT_ACTION_PATTERN: "export|download" };

before(async () => {
  db = await openTestDatabase();
  const events = [
    auth0Event("pwd_leak", "a-leak", OLD),
    auth0Event("limit_wc", "a-limit", OLD),
    auth0Event("fp", "a-fp", OLD),
    auth0Event("sapi", "a-settings", OLD, SETTINGS_WRITE),
    consoleEvent("Record file download", "情報", OLD),
    consoleEvent("export records", "情報", OLD),
    // A source no longer registered: its stored flags are all there is.
    event("2026-11-22T11:00:00", { source: "retired", tenant: "old.example", action: "purge", isCritical: true, externalId: "r-purge" }),
  ];
  // Stored as the old settings classified them.
  const flagged = (id: string) => events.find((e) => e.externalId === id || e.action === id)!;
  assert.equal(flagged("a-leak").isCritical, true);
  assert.equal(flagged("a-limit").isCritical, true);
  assert.equal(flagged("a-fp").isCritical, false);
  assert.equal(flagged("a-settings").isCritical, true);
  assert.equal(flagged("Record file download").isExport, true);
  await store(db, events);
});

after(async () => db.close());

const ids = (items: { externalId: string }[]) => items.map((e) => e.externalId).sort();
const actions = (items: { action: string }[]) => items.map((e) => e.action).sort();

test("under the settings the events were stored with, the report lists what the normaliser flagged", async () => {
  const report = await buildReport(db, testConfig(OLD), TODAY, NOW);
  assert.deepEqual(ids(report.sections.critical.items), ["a-leak", "a-limit", "a-settings", "r-purge"]);
  assert.deepEqual(actions(report.sections.exports.items), ["Record file download", "export records"]);
});

test("a type taken off AUTH0_CRITICAL_TYPES and an action no longer matching EXPORT_ACTION_PATTERN leave their sections", async () => {
  const report = await buildReport(db, testConfig({ AUTH0_CRITICAL_TYPES: "limit_wc,fp", EXPORT_ACTION_PATTERN: "^never$" }), TODAY, NOW);
  assert.deepEqual(ids(report.sections.critical.items), ["a-fp", "a-limit", "a-settings", "r-purge"]);
  // A record file download is a documented download (issue 24): an export whatever the pattern says.
  assert.deepEqual(actions(report.sections.exports.items), ["Record file download"]);
});

test("a path taken off AUTH0_CRITICAL_SAPI_PATHS un-flags the Management API write", async () => {
  const report = await buildReport(db, testConfig({ ...OLD, AUTH0_CRITICAL_SAPI_PATHS: "/api/v2/roles" }), TODAY, NOW);
  assert.deepEqual(ids(report.sections.critical.items), ["a-leak", "a-limit", "r-purge"]);
});
