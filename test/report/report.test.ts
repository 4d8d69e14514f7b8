import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Database } from "../../src/store/database.ts";
import { buildReport } from "../../src/report/build-report.ts";
import { runDailyReport, summarizeReport } from "../../src/schedule/daily-report.ts";
import { readBaseline } from "../../src/store/baselines.ts";
import { scoreDay } from "../../src/detect/score-day.ts";
import { calibrateMonth } from "../../src/detect/calibrate-month.ts";
import { classicFeatureSet } from "../../src/encode/classic.ts";
import { event, LOGIN_ROW, officeMonth, openTestDatabase, store, testConfig, USERS_EXPORT } from "./fixtures.ts";

const TODAY = "2026-11-23"; // reported day 2026-11-22 (a Sunday), baseline month 2026-10
let db: Database;

before(async () => {
  db = await openTestDatabase();
  await store(db, officeMonth("2026-10", 8)); // 248 ordinary console events
  await store(db, [
    // Outside the window: the day before and the day after (Tokyo), and a November event outside the day.
    event("2026-11-21T23:59:59", { action: "export user", externalId: "before" }),
    event("2026-11-23T00:00:00", { action: "export user", externalId: "after" }),
    // The reported day.
    event("2026-11-22T10:00:00", { action: "export user", externalId: "exp1" }),
    event("2026-11-22T11:00:00", { action: "ファイルを書き出し", externalId: "exp2" }),
    event("2026-11-22T12:00:00", { action: "Record delete", level: "重要", externalId: "crit1" }),
    event("2026-11-22T12:30:00", { action: "configure security setting", level: "Notice", externalId: "crit2" }),
    event("2026-11-22T03:10:00", { action: "login", isLogin: true, raw: LOGIN_ROW, externalId: "late-ok" }),
    event("2026-11-22T02:30:00", { action: "login", isFailedLogin: true, result: "FAILED", raw: LOGIN_ROW, externalId: "late-failed" }),
    event("2026-11-22T05:00:00", { action: "login", isLogin: true, raw: LOGIN_ROW, externalId: "at-five" }),
    event("2026-11-22T01:59:59", { action: "login", isLogin: true, raw: LOGIN_ROW, externalId: "before-two" }),
    event("2026-11-22T13:00:00", { action: "Record view", externalId: "normal1" }),
    event("2026-11-22T14:00:00", { account: "bob", action: "Record edit", externalId: "normal2" }),
    event("2026-11-22T03:33:33", { account: "mallory", action: "Record file download", ip: "198.51.100.7", appId: "99", externalId: "odd" }),
    event("2026-11-22T15:00:00", { ip: "xx.xxx.xxx.xx", externalId: "masked" }),
    event("2026-11-22T15:10:00", { ip: "2001:db8::1", externalId: "v6" }),
    // Auth0 with too small a month: no baseline, but its sections still count.
    ...Array.from({ length: 12 }, (_, i) => event(`2026-10-${String(i + 1).padStart(2, "0")}T10:00:00`, { source: "auth0", tenant: "acme.eu.auth0.com", action: "s", isLogin: true, appId: "cli1" })),
    event("2026-11-22T09:00:00", { source: "auth0", tenant: "acme.eu.auth0.com", action: "sapi", isExport: true, appId: "cli1", raw: USERS_EXPORT, externalId: "a-exp" }),
    event("2026-11-22T09:05:00", { source: "auth0", tenant: "acme.eu.auth0.com", action: "pwd_leak", appId: null, externalId: "a-crit" }),
  ]);
});

after(async () => db.close());

const ids = (items: { externalId: string }[]) => items.map((e) => e.externalId);

test("each section holds exactly its events of the reported day", async () => {
  const report = await buildReport(db, testConfig(), TODAY, { now: new Date("2026-11-23T00:00:00Z") });
  assert.equal(report.day, "2026-11-22");
  assert.equal(report.baselineMonth, "2026-10");
  assert.equal(report.timezone, "Asia/Tokyo");
  // mallory's record file download ("odd") is a documented download (issue 24), so an export too.
  assert.deepEqual(ids(report.sections.exports.items), ["odd", "a-exp", "exp1", "exp2"]);
  assert.deepEqual(ids(report.sections.critical.items), ["a-crit", "crit1", "crit2"]);
  assert.deepEqual(ids(report.sections.lateNight.items), ["late-ok"]);
  assert.deepEqual(ids(report.sections.lateNight.failed!.items), ["late-failed"]);
  assert.equal(report.totalEvents, 15);

  const outliers = report.sections.outliers.items;
  // The classic vector puts an unparsable address at 0, far from the office block: those two are
  // outliers as in the original tool, then the unknown account from an unknown address at 03:33.
  assert.deepEqual(new Set(ids(outliers)), new Set(["masked", "v6", "odd"]), `outliers: ${JSON.stringify(outliers.map((o) => [o.externalId, o.distance]))}`);
  assert.equal(outliers[2]!.externalId, "odd");
  assert.equal(outliers[2]!.contributions[0]!.feature, "ip");
  for (let i = 1; i < outliers.length; i++) assert.ok(outliers[i - 1]!.distance >= outliers[i]!.distance);
  for (const o of outliers) {
    assert.ok(o.distance > 10 && Number.isFinite(o.distance));
    assert.equal(o.featureSet, "classic");
    assert.ok(Math.abs(o.contributions.reduce((s, c) => s + c.share, 0) - 1) < 1e-9);
    assert.equal(o.source, "kintone"); // the auth0 source has no baseline
  }
  // Ordinary office events are not outliers.
  assert.ok(!ids(outliers).includes("normal1") && !ids(outliers).includes("normal2"));
  assert.equal(report.sections.exports.items[2]!.occurredAt, "2026-11-22T10:00:00+09:00"); // exp1, after odd and a-exp

  const kintone = report.sources.find((s) => s.source === "kintone")!;
  assert.equal(kintone.eventsThatDay, 13);
  assert.equal(kintone.unparsableIps, 2);
  assert.deepEqual(kintone.droppedFeatures, []);
  assert.equal(kintone.cursorAgeHours, null);
  const kb = report.baselines.find((b) => b.source === "kintone")!;
  assert.equal(kb.available, true);
  assert.equal(kb.n, 248);
  assert.equal(kb.month, "2026-10");
  assert.equal(kb.threshold, 10);
  const ab = report.baselines.find((b) => b.source === "auth0")!;
  assert.equal(ab.available, false);
  assert.equal(ab.n, 12);
  assert.match(ab.notice!, /kansa backfill --month 2026-10/);
  // A missing baseline is an alarm (with its fix), not a notice beside it.
  const missing = report.alarms.filter((a) => a.kind === "baseline-missing");
  assert.deepEqual(missing.map((a) => [a.source, a.month, a.observed, a.fix]), [["auth0", "2026-10", 12, "kansa import <the files of 2026-10>"]]);
  assert.ok(!report.notices!.some((n) => n.includes("No baseline")), JSON.stringify(report.notices));

  // Histogram: the day's 15 events by local hour; the month's 260 events over 31 days.
  assert.equal(report.histogram.length, 24);
  assert.equal(report.histogram.reduce((s, b) => s + b.day, 0), 15);
  assert.equal(report.histogram[3]!.day, 2);
  assert.ok(Math.abs(report.histogram.reduce((s, b) => s + b.baselineAverage, 0) - 260 / 31) < 1e-9);
  assert.deepEqual(report.settings, { anomalyLength: 10, featureSet: "classic", lateNightWindow: "02:00-05:00", thresholdSource: "baseline", lang: "en" });
  assert.match(summarizeReport(report), /kansa report for 2026-11-22 .* 15 event/);
  // The JSON contract round-trips (no NaN/Infinity, no Dates).
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
});

test("sections are capped at REPORT_SECTION_LIMIT with the rest counted", async () => {
  const report = await buildReport(db, testConfig({ REPORT_SECTION_LIMIT: "1" }), TODAY);
  assert.equal(report.sections.exports.total, 4);
  assert.equal(report.sections.exports.items.length, 1);
  assert.equal(report.sections.exports.omitted, 3);
  assert.equal(report.sections.critical.omitted, 2);
});

test("configured rules apply to stored events: window, pattern, threshold", async () => {
  const report = await buildReport(db, testConfig({ LATE_NIGHT_WINDOW: "01:00-06:00", EXPORT_ACTION_PATTERN: "download", ANOMALY_LENGTH: "1e12" }), TODAY);
  assert.deepEqual(ids(report.sections.lateNight.items), ["before-two", "late-ok", "at-five"]);
  // a-exp keeps its stored flag; exp1 ("export user") is a documented export whatever the pattern (issue 24).
  assert.deepEqual(ids(report.sections.exports.items), ["odd", "a-exp", "exp1"]);
  assert.equal(report.sections.outliers.total, 0);
  assert.equal(report.settings!.anomalyLength, 1e12);
  assert.equal(report.settings!.thresholdSource, "setting");
  const unset = await buildReport(db, testConfig(), TODAY);
  assert.equal(unset.settings!.thresholdSource, "baseline");
});

test("the baseline is stored, reused, and refitted when the month changes", async () => {
  const config = testConfig();
  await buildReport(db, config, TODAY);
  const key = { source: "kintone", tenant: "example.cybozu.com", month: "2026-10", timezone: "Asia/Tokyo", featureSet: "classic" };
  const first = await readBaseline(db, key);
  assert.ok(first);
  assert.equal(first.n, 248);
  assert.equal(first.mean.length, 5);
  assert.equal(first.covariance.length, 5);
  await buildReport(db, config, TODAY);
  const again = await readBaseline(db, key);
  assert.equal(again!.computedAt.getTime(), first.computedAt.getTime());
  // Scores with the reused baseline match a fresh fit.
  const scoredDay = await scoreDay(db, config, TODAY);
  const reused = scoredDay.events;
  // The auth0 events have no baseline: no distance, and the reason (with the fix) beside each and once per source.
  const unscored = reused.filter((s) => s.source === "auth0");
  assert.ok(unscored.length > 0);
  for (const s of unscored) {
    assert.equal(s.distance, null);
    assert.match(s.reason ?? "", /fewer than MIN_BASELINE_EVENTS .*`kansa backfill --month 2026-10`/);
  }
  assert.ok(reused.filter((s) => s.source === "kintone").every((s) => s.distance !== null && s.reason === undefined));
  assert.equal(scoredDay.warnings.length, 1);
  assert.match(scoredDay.warnings[0]!, /^No baseline for auth0 /);
  await store(db, [event("2026-10-15T10:00:00", { externalId: "late-arrival" })]);
  const refit = await buildReport(db, config, TODAY);
  const third = await readBaseline(db, key);
  assert.equal(third!.n, 249);
  assert.equal(refit.baselines.find((b) => b.source === "kintone")!.n, 249);
  assert.notEqual(third!.dataVersion, first.dataVersion);
  const odd = reused.find((s) => s.externalId === "odd")!;
  assert.ok(odd.distance! > 10 && odd.outlier);
  assert.equal(odd.vector.app, 99);
  assert.equal(reused.filter((s) => s.source === "auth0").every((s) => s.distance === null), true);
  // Other time zones get their own baseline row.
  await buildReport(db, testConfig({ REPORT_TIMEZONE: "UTC" }), TODAY);
  assert.ok(await readBaseline(db, { ...key, timezone: "UTC" }));
});

test("calibrate: the month's own distances, percentiles and per-day counts", async () => {
  const result = await calibrateMonth(db, testConfig(), "2026-10", [classicFeatureSet]);
  const k = result.sources.find((s) => s.source === "kintone")!;
  assert.equal(k.available, true);
  const c = k.calibration!;
  assert.equal(c.n, k.n);
  assert.ok(c.percentiles.p50 <= c.percentiles.p90 && c.percentiles.p90 <= c.percentiles.p99 && c.percentiles.p99 <= c.percentiles.p999 && c.percentiles.p999 <= c.percentiles.max);
  // Mean squared distance of a baseline's own points is (n−1)/n × rank (a property of the sample covariance).
  assert.ok(c.percentiles.p50 > 1 && c.percentiles.p50 < 3);
  assert.deepEqual(c.thresholds.map((t) => t.threshold), [3, 5, 10, 20]);
  assert.equal(Object.keys(c.thresholds[0]!.perDay).length, 31);
  const a = result.sources.find((s) => s.source === "auth0")!;
  assert.equal(a.available, false);
  assert.match(a.notice!, /MIN_BASELINE_EVENTS/);
});

test("runDailyReport defaults today to the report zone's date and passes collection counters", async () => {
  const result = await runDailyReport(db, testConfig(), {
    now: new Date("2026-11-22T16:00:00Z"), // 2026-11-23 01:00 in Tokyo
    collection: [{ source: "kintone", tenant: "example.cybozu.com", collected: 20, stored: 13, duplicates: 7, rejected: 0, errors: [], cursorAgeHours: 24 }],
  });
  assert.equal(result.today, "2026-11-23");
  assert.equal(result.day, "2026-11-22");
  const k = result.report.sources.find((s) => s.source === "kintone")!;
  assert.deepEqual([k.collected, k.stored, k.duplicates, k.cursorAgeHours], [20, 13, 7, 24]);
  await assert.rejects(runDailyReport(db, testConfig(), { today: "2026-02-30" }), /--today must be a day written YYYY-MM-DD/);
});
