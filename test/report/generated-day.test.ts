/**
 * Section membership on a generated organisation (src/tools/generator): two months of console
 * rows and Auth0 events, with the generator's hostile strings (HTML, newlines, masked and IPv6
 * addresses, empty users), normalised and stored as the import path does. Each section is
 * checked against the stored events of the day, classified here independently with luxon.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import type { Database } from "../../src/store/database.ts";
import type { AuditEvent } from "../../src/core/types.ts";
import { rowRecords, type ConsoleRow } from "../../src/sources/kintone/console-csv/read-console-csv.ts";
import type { ReportModel } from "../../src/core/report-model.ts";
import { generateDataset } from "../../src/tools/generator/index.ts";
import { normalizeBatch } from "../../src/normalize/index.ts";
import { auth0 } from "../../src/sources/auth0/index.ts";
import { kintone } from "../../src/sources/kintone/index.ts";
import { buildReport } from "../../src/report/build-report.ts";
import { dayRange } from "../../src/core/calendar.ts";
import { openTestDatabase, store, testConfig } from "./fixtures.ts";

const ZONE = "Asia/Tokyo";
const config = testConfig({ REPORT_SECTION_LIMIT: "1000" });
let db: Database;
let dayEvents: AuditEvent[] = [];
let report: ReportModel;

before(async () => {
  const data = generateDataset({ seed: 11, from: "2026-10-01", to: "2026-11-20", consolePerDay: 120, auth0PerDay: 40, hostile: true, timezone: ZONE });
  const seen = new Map<string, number>();
  const rows: ConsoleRow[] = data.consoleRows.map((r, i) => {
    const key = JSON.stringify(r.cells);
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    return { line: i + 2, cells: r.cells as unknown as Record<string, string>, ordinal };
  });
  const consoleEvents = normalizeBatch({ source: "kintone", records: rowRecords(rows), origin: "generated.csv", tenant: "demo.cybozu.com" }, kintone.normalize, config).events;
  const auth0Events = normalizeBatch({ source: "auth0", records: data.auth0Events.map((record, i) => ({ record, locator: `#${i}` })), origin: "generated.json", tenant: "demo.eu.auth0.com" }, auth0.normalize, config).events;
  db = await openTestDatabase();
  await store(db, [...consoleEvents, ...auth0Events]);
  const unique = new Map<string, AuditEvent>();
  for (const e of [...consoleEvents, ...auth0Events]) unique.set(`${e.source}|${e.tenant}|${e.externalId}`, e);
  // The November day (after the baseline month) with the most exports: exports are rare.
  let best = { day: "", exports: -1 };
  for (let d = 2; d <= 19; d++) {
    const day = `2026-11-${String(d).padStart(2, "0")}`;
    const range = dayRange(day, ZONE);
    const exports = [...unique.values()].filter((e) => e.occurredAt >= range.from && e.occurredAt < range.to && /export|書き出/i.test(e.action)).length;
    if (exports > best.exports) best = { day, exports };
  }
  const range = dayRange(best.day, ZONE);
  dayEvents = [...unique.values()].filter((e) => e.occurredAt >= range.from && e.occurredAt < range.to);
  report = await buildReport(db, config, DateTime.fromISO(best.day).plus({ days: 1 }).toISODate()!);
});

after(async () => db.close());

const key = (e: { source: string; tenant: string; externalId: string }) => `${e.source}|${e.tenant}|${e.externalId}`;
const keys = (list: { source: string; tenant: string; externalId: string }[]) => new Set(list.map(key));

test("the generated day is reported whole, with both sources and their baselines", () => {
  assert.ok(dayEvents.length > 100, `only ${dayEvents.length} events on the day`);
  assert.equal(report.totalEvents, dayEvents.length);
  assert.deepEqual(report.sources.map((s) => s.source).sort(), ["auth0", "kintone"]);
  for (const b of report.baselines) assert.equal(b.available, true, `${b.source}: ${b.notice}`);
  assert.equal(report.histogram.reduce((s, b) => s + b.day, 0), dayEvents.length);
});

test("exports: Auth0 users-export jobs and console actions matching the pattern", () => {
  const want = dayEvents.filter((e) => e.isExport || (e.source === "kintone" && /export|書き出/i.test(e.action)));
  assert.ok(want.length > 0, "the generated day has no export");
  assert.deepEqual(keys(report.sections.exports.items), keys(want));
  assert.equal(report.sections.exports.total, want.length);
});

test("critical: console Notice/重要 and Auth0 critical types or sapi writes", () => {
  const want = dayEvents.filter((e) => e.isCritical || (e.source === "kintone" && /^(重要|notice)$/i.test(e.level ?? "")) || (e.source === "auth0" && config.auth0CriticalTypes.includes(e.action)));
  assert.ok(want.length > 0, "the generated day has no critical event");
  assert.deepEqual(keys(report.sections.critical.items), keys(want));
});

test("late night: logins between 02:00 and 05:00 Tokyo, failures apart", () => {
  const hour = (e: AuditEvent) => DateTime.fromJSDate(e.occurredAt).setZone(ZONE).hour;
  const late = (e: AuditEvent) => hour(e) >= 2 && hour(e) < 5;
  assert.deepEqual(keys(report.sections.lateNight.items), keys(dayEvents.filter((e) => e.isLogin && late(e))));
  assert.deepEqual(keys(report.sections.lateNight.failed!.items), keys(dayEvents.filter((e) => e.isFailedLogin && !e.isLogin && late(e))));
  for (const item of report.sections.lateNight.items) assert.match(item.occurredAt, /T0[234]:\d\d:\d\d(\.\d+)?\+09:00$/);
});

test("outliers: exactly the events above the threshold, sorted, finite, explained by shares", () => {
  const outliers = report.sections.outliers.items;
  for (let i = 1; i < outliers.length; i++) assert.ok(outliers[i - 1]!.distance >= outliers[i]!.distance);
  for (const o of outliers) {
    assert.ok(Number.isFinite(o.distance) && o.distance > 10);
    assert.ok(Math.abs(o.contributions.reduce((s, c) => s + c.share, 0) - 1) < 1e-6);
  }
  // Unparsable addresses (masked, IPv6) are counted per source.
  const unparsable = report.sources.reduce((s, x) => s + (x.unparsableIps ?? 0), 0);
  assert.equal(unparsable, dayEvents.filter((e) => e.ip.trim() !== "" && !/^(::ffff:)?\d+\.\d+\.\d+\.\d+$/i.test(e.ip.trim())).length);
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
});
