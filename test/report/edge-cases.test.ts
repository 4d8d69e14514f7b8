import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Database } from "../../src/store/database.ts";
import { buildReport } from "../../src/report/build-report.ts";
import { scoreDay } from "../../src/detect/score-day.ts";
import { calibrateMonth } from "../../src/detect/calibrate-month.ts";
import { featureSets } from "../../src/encode/registry.ts";
import { summarizeReport } from "../../src/schedule/daily-report.ts";
import { event, officeMonth, openTestDatabase, store, testConfig } from "./fixtures.ts";

let db: Database;
before(async () => {
  db = await openTestDatabase();
});
after(async () => db.close());

test("an empty store: a report that says nothing is stored, no crash", async () => {
  const report = await buildReport(db, testConfig(), "2026-11-23");
  assert.equal(report.totalEvents, 0);
  assert.deepEqual(report.sources, []);
  assert.equal(report.sections.outliers.total, 0);
  assert.match(report.notices![0]!, /Nothing is stored for 2026-11-22 or 2026-10/);
  assert.equal(report.histogram.every((b) => b.day === 0 && b.baselineAverage === 0), true);
  assert.deepEqual(await scoreDay(db, testConfig(), "2026-11-23"), { events: [], warnings: [] });
  assert.deepEqual((await calibrateMonth(db, testConfig(), "2026-10", [...featureSets])).sources, []);
});

test("a month with one account and a day with no events: both said, no crash", async () => {
  await store(db, officeMonth("2026-06", 6, 3, { account: "solo", tenant: "solo.cybozu.com" }));
  // The day after the month has no events at all.
  const quiet = await buildReport(db, testConfig(), "2026-07-02");
  assert.equal(quiet.totalEvents, 0);
  assert.match(quiet.notices![0]!, /No events were stored for 2026-07-01/);
  const b = quiet.baselines[0]!;
  assert.equal(b.available, true);
  assert.deepEqual(b.droppedFeatures, ["account"]);
  assert.equal(b.accounts, 1);
  assert.ok(quiet.notices!.some((n) => /every event of 2026-06 has the same account \("solo"\)/.test(n)));
  assert.ok(quiet.notices!.some((n) => /account had one value throughout 2026-06/.test(n)));
  assert.equal(quiet.sources[0]!.eventsThatDay, 0);

  // A day with events: the account column is left out, the others still score, nothing is NaN.
  await store(db, [
    event("2026-07-01T10:00:00", { account: "solo", tenant: "solo.cybozu.com", externalId: "ok" }),
    event("2026-07-01T10:00:00", { account: "intruder", tenant: "solo.cybozu.com", externalId: "other-account" }),
  ]);
  const report = await buildReport(db, testConfig(), "2026-07-02");
  assert.equal(report.totalEvents, 2);
  const scored = (await scoreDay(db, testConfig(), "2026-07-02")).events;
  assert.equal(scored.length, 2);
  assert.equal(scored[0]!.distance, scored[1]!.distance); // the dropped account column does not count
  assert.ok(Number.isFinite(scored[0]!.distance!));
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
});

test("events with odd values from the import path never crash a report", async () => {
  await store(db, [
    ...officeMonth("2026-08", 5, 9, { tenant: "odd.cybozu.com" }),
    event("2026-09-01T00:00:00", { tenant: "odd.cybozu.com", account: "", action: "", ip: "", ipParsed: null, appId: null, appName: null, level: null, result: null, externalId: "empty" }),
    event("2026-09-01T00:00:01", { tenant: "odd.cybozu.com", account: "😀\u0001\u001b[2J\u202e", action: "x".repeat(5000), ip: "999.999.1.1, 10.0.0.1", appId: "99999999999999999999999", externalId: "weird" }),
  ]);
  const report = await buildReport(db, testConfig(), "2026-09-02");
  assert.equal(report.totalEvents, 2);
  const source = report.sources.find((s) => s.tenant === "odd.cybozu.com")!;
  assert.equal(source.unparsableIps, 1);
  for (const o of report.sections.outliers.items) assert.ok(Number.isFinite(o.distance));
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  // The human summary shows the odd account without its control characters.
  const summary = summarizeReport(report);
  assert.ok(summary.includes("😀\\u{0001}\\u{001B}[2J\\u{202E}"));
  assert.ok(!/[\u0000-\u0009\u000b-\u001f\u202e]/.test(summary));
});
