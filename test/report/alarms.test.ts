import { test } from "node:test";
import assert from "node:assert/strict";
import { buildAlarms, dayKind, usualDay, type AlarmScope } from "../../src/report/alarms.ts";
import { daysBetween } from "../../src/core/calendar.ts";

/** October 2026: `weekday` events each weekday, `weekend` each Saturday and Sunday. */
function october(weekday: number, weekend: number): { day: string; events: number }[] {
  return daysBetween("2026-10-01", "2026-10-31").map((day) => ({ day, events: dayKind(day) === "weekend" ? weekend : weekday }));
}

function scope(over: Partial<AlarmScope> = {}): AlarmScope {
  return {
    scope: { source: "kintone", tenant: "example.cybozu.com" },
    configured: true,
    eventsThatDay: 1400,
    baseline: { available: true, month: "2026-10", n: 30000 },
    baselineDays: october(1400, 30),
    errors: [],
    gaps: [],
    ...over,
  };
}

const MONDAY = "2026-11-02";
const SUNDAY = "2026-11-01";

test("weekdays and weekends, and the usual day of each kind is the month's median", () => {
  assert.equal(dayKind(MONDAY), "weekday");
  assert.equal(dayKind(SUNDAY), "weekend");
  assert.equal(dayKind("2026-10-31"), "weekend"); // a Saturday
  const days = october(1400, 30);
  days[0]!.events = 9; // one quiet weekday does not move the median
  assert.equal(usualDay(days, "weekday"), 1400);
  assert.equal(usualDay(days, "weekend"), 30);
  assert.equal(usualDay([], "weekday"), 0);
});

test("a source with a baseline that stored nothing, or far fewer than its usual day of the kind, is silent", () => {
  const none = buildAlarms(MONDAY, [scope({ eventsThatDay: 0 })], 100);
  assert.deepEqual(none.map((a) => [a.kind, a.observed, a.expected, a.dayKind, a.month]), [["source-silent", 0, 1400, "weekday", "2026-10"]]);
  assert.match(none[0]!.message, /^kintone example\.cybozu\.com stored no event for 2026-11-02 \(a weekday\); its usual weekday in 2026-10 has 1400\./);
  assert.equal(none[0]!.fix, "kansa collect --source kintone --from 2026-11-02 --to 2026-11-02");

  const few = buildAlarms(MONDAY, [scope({ eventsThatDay: 139 })], 100);
  assert.deepEqual(few.map((a) => [a.kind, a.observed]), [["source-silent", 139]]);
  assert.deepEqual(buildAlarms(MONDAY, [scope({ eventsThatDay: 140 })], 100), [], "a tenth of the usual day is not silent");

  // A weekend is compared with weekends: 2 against a usual 30 is far fewer, but 1 against a
  // usual 15 is too small a day to judge, and only a day with none is silent...
  assert.deepEqual(buildAlarms(SUNDAY, [scope({ eventsThatDay: 2 })], 100).map((a) => [a.kind, a.observed, a.expected]), [["source-silent", 2, 30]]);
  assert.deepEqual(buildAlarms(SUNDAY, [scope({ eventsThatDay: 1, baselineDays: october(1400, 15) })], 100), []);
  // ...but none at all is.
  assert.deepEqual(buildAlarms(SUNDAY, [scope({ eventsThatDay: 0 })], 100).map((a) => [a.kind, a.expected, a.dayKind]), [["source-silent", 30, "weekend"]]);
  // A console that is usually quiet on weekends raises nothing on a quiet Sunday.
  assert.deepEqual(buildAlarms(SUNDAY, [scope({ eventsThatDay: 0, baselineDays: october(1400, 0) })], 100), []);
  // A day not over yet (a report made before it ends) is never called silent.
  assert.deepEqual(buildAlarms(MONDAY, [scope({ eventsThatDay: 0 })], 100, false), []);
  // Imported data: the fix is to import that day.
  assert.equal(buildAlarms(MONDAY, [scope({ eventsThatDay: 0, configured: false })], 100)[0]!.fix, "kansa import <the files of 2026-11-02>");
});

test("no baseline: baseline-missing with the command that loads the month, and never silent", () => {
  const alarms = buildAlarms(MONDAY, [scope({ eventsThatDay: 0, baseline: { available: false, month: "2026-10", n: 12 }, baselineDays: [] })], 100);
  assert.deepEqual(alarms.map((a) => [a.kind, a.month, a.observed, a.minimum, a.fix]), [["baseline-missing", "2026-10", 12, 100, "kansa backfill --month 2026-10"]]);
  assert.match(alarms[0]!.message, /fewer than MIN_BASELINE_EVENTS \(100\), so no event of 2026-11-02 was scored/);
});

test("a failed collection is source-failed (not also silent); retention gaps come through; kinds are ordered by seriousness", () => {
  const alarms = buildAlarms(MONDAY, [
    scope({ scope: { source: "auth0", tenant: "acme.eu.auth0.com" }, eventsThatDay: 0, baseline: { available: false, month: "2026-10", n: 0 }, gaps: ["Auth0 acme.eu.auth0.com: entries may have been lost between A and B."] }),
    scope({ eventsThatDay: 0, errors: ["kintone (example.cybozu.com): login failed [E_LOGIN]"] }),
  ], 100);
  assert.deepEqual(alarms.map((a) => [a.kind, a.source]), [["source-failed", "kintone"], ["retention-gap", "auth0"], ["baseline-missing", "auth0"]]);
  assert.match(alarms[0]!.message, /^Collecting kintone example\.cybozu\.com failed, so 2026-11-02 may be incomplete: kintone \(example\.cybozu\.com\): login failed/);
  assert.equal(alarms[1]!.detail, "Auth0 acme.eu.auth0.com: entries may have been lost between A and B.");
});
