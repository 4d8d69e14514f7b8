import { test } from "node:test";
import assert from "node:assert/strict";
import { addDays, dayRange, formatInstant, monthRange, parseDay, parseMonth, previousMonth, reportedDay, todayIn } from "../../src/core/calendar.ts";
import { buildReport } from "../../src/report/build-report.ts";
import { openTestDatabase, store, event, LOGIN_ROW, testConfig } from "./fixtures.ts";

const HOUR = 3_600_000;
const NY = "America/New_York";

test("a New York day across a DST change has 23 or 25 hours; ordinary days 24", () => {
  const hours = (day: string) => {
    const r = dayRange(day, NY);
    return (r.to.getTime() - r.from.getTime()) / HOUR;
  };
  assert.equal(hours("2026-03-08"), 23);
  assert.equal(hours("2026-11-01"), 25);
  assert.equal(hours("2026-11-02"), 24);
  assert.equal(dayRange("2026-11-01", NY).from.toISOString(), "2026-11-01T04:00:00.000Z");
  assert.equal(dayRange("2026-11-01", NY).to.toISOString(), "2026-11-02T05:00:00.000Z");
  // A zone whose DST starts at midnight (the day starts at 01:00).
  const havana = dayRange("2026-03-08", "America/Havana");
  assert.equal((havana.to.getTime() - havana.from.getTime()) / HOUR, 23);
});

test("every instant lands in exactly one day, consecutive days tile time", () => {
  const days = Array.from({ length: 12 }, (_, i) => addDays("2026-10-27", i)); // spans 2026-11-01
  const ranges = days.map((d) => dayRange(d, NY));
  for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i]!.from.getTime(), ranges[i - 1]!.to.getTime());
  for (let t = ranges[0]!.from.getTime(); t < ranges.at(-1)!.to.getTime(); t += 7 * 60_000) {
    const hits = ranges.filter((r) => r.from.getTime() <= t && t < r.to.getTime()).length;
    assert.equal(hits, 1);
  }
  const march = [addDays("2026-03-07", 0), "2026-03-08", "2026-03-09"].map((d) => dayRange(d, NY));
  assert.equal(march[0]!.to.getTime(), march[1]!.from.getTime());
  assert.equal(march[1]!.to.getTime(), march[2]!.from.getTime());
});

test("months, the reported day and its baseline month", () => {
  assert.deepEqual(reportedDay("2026-11-01"), { day: "2026-10-31", baselineMonth: "2026-09" });
  assert.deepEqual(reportedDay("2026-01-01"), { day: "2025-12-31", baselineMonth: "2025-11" });
  assert.deepEqual(reportedDay("2026-03-01"), { day: "2026-02-28", baselineMonth: "2026-01" });
  assert.equal(previousMonth("2026-01"), "2025-12");
  const m = monthRange("2026-11", NY);
  assert.equal(m.from.toISOString(), "2026-11-01T04:00:00.000Z");
  assert.equal(m.to.toISOString(), "2026-12-01T05:00:00.000Z");
  assert.equal(todayIn("Asia/Tokyo", new Date("2026-11-22T15:30:00Z")), "2026-11-23");
  assert.equal(todayIn(NY, new Date("2026-11-22T03:30:00Z")), "2026-11-21");
  assert.equal(formatInstant(new Date("2026-11-01T05:30:00Z"), NY), "2026-11-01T01:30:00-04:00");
  assert.equal(formatInstant(new Date("2026-11-01T06:30:00.250Z"), NY), "2026-11-01T01:30:00.250-05:00");
});

test("command-line days and months are validated with a sentence", () => {
  assert.equal(parseDay("2024-02-29"), "2024-02-29");
  for (const bad of ["2026-02-29", "2026-13-01", "20261123", "2026-1-1", "tomorrow", ""]) {
    assert.throws(() => parseDay(bad), /--today must be a day written YYYY-MM-DD \(such as 2026-11-23\), got/);
  }
  assert.equal(parseMonth("2026-10"), "2026-10");
  for (const bad of ["2026-13", "2026-1", "2026-10-01"]) assert.throws(() => parseMonth(bad), /--month must be a month written YYYY-MM/);
});

test("a report in New York on the 25-hour day counts each event once, by local hour", async () => {
  const db = await openTestDatabase();
  try {
    const config = testConfig({ REPORT_TIMEZONE: NY });
    const range = dayRange("2026-11-01", NY);
    const events = [];
    // One event every 30 minutes from 2 h before the day to 2 h after it (UTC instants).
    for (let t = range.from.getTime() - 2 * HOUR; t < range.to.getTime() + 2 * HOUR; t += HOUR / 2) {
      events.push(event("2000-01-01T00:00:00", { occurredAt: new Date(t), externalId: `t${t}`, isLogin: true, action: "login", raw: LOGIN_ROW }));
    }
    await store(db, events);
    const report = await buildReport(db, config, "2026-11-02");
    assert.equal(report.day, "2026-11-01");
    assert.equal(report.totalEvents, 50);
    assert.equal(report.histogram[1]!.day, 4); // 01:00–01:59 happens twice
    assert.equal(report.histogram[0]!.day, 2);
    // Late night 02:00–05:00: six logins, each listed once with its offset.
    assert.equal(report.sections.lateNight.total, 6);
    assert.equal(report.sections.lateNight.items[0]!.occurredAt, "2026-11-01T02:00:00-05:00");
  } finally {
    await db.close();
  }
});
