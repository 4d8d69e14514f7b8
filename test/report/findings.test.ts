/**
 * Findings (issue 23), pure: the day's notable events grouped per person and episode, their
 * severity and order, routine recognition from the baseline month's habits, a reason for every
 * outlier, failed logins then a success, and the words in English and Japanese. The DayEvents
 * are built from rows by dayEventsOf, under the default rules, so flags and catalogue entries
 * are the sources' own.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { AuditEvent } from "../../src/core/types.ts";
import type { Finding } from "../../src/core/report-model.ts";
import { ZoneClock } from "../../src/encode/local-time.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { sectionRules } from "../../src/report/classify.ts";
import { buildFindings, EPISODE_GAP_MINUTES, VOLUME_EXPORTS, type DayEvent } from "../../src/report/findings/build-findings.ts";
import { dayEventsOf, MIN_FAILURES } from "../../src/report/findings/day-events.ts";
import { actionHabits, countToday, ROUTINE_MIN_DAYS, type RoutineHistory } from "../../src/report/findings/routine.ts";
import { findingReasons, findingSummary, rarityPercent } from "../../src/report/findings/words.ts";
import { event, LOGIN_ROW } from "./fixtures.ts";

const TZ = "Asia/Tokyo";
const DAY = "2026-11-22";
const MONTH = "2026-10";
const config = loadConfig({ REPORT_TIMEZONE: TZ, LOG_LEVEL: "silent" });
const rules = sectionRules(config);
const clock = new ZoneClock(TZ);
const AUTH0 = { source: "auth0", tenant: "acme.eu.auth0.com", appId: null, appName: null };

/** A row of the reported day at local `time` ("10:00:00"). */
const at = (time: string, fields: Partial<AuditEvent> = {}) => event(`${DAY}T${time}`, fields);
/** A console file export (catalogue: medium "Data exported"). */
const exported = (time: string, account = "alice", fields: Partial<AuditEvent> = {}) => at(time, { action: "ファイルを書き出し", account, ...fields });
/** An Auth0 log record of `type` (its catalogue entry comes from the record's type). */
const auth0Row = (time: string, type: string, account: string) => at(time, { ...AUTH0, action: type, raw: { type }, account });
const login = (time: string, account: string, ip: string, failed = false) =>
  at(time, { action: "login", raw: LOGIN_ROW, account, ip, ...(failed ? { isFailedLogin: true, result: "FAILED" } : { isLogin: true }) });

/** The rows as DayEvents, oldest first (no scoring: nobody is an outlier unless a test says so). */
function dayEvents(rows: AuditEvent[]): DayEvent[] {
  const sorted = [...rows].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  return dayEventsOf(sorted, null, config, rules, clock);
}

/** The events as an outlier at `percentile` with no reasons of the feature set's. */
const asOutlier = (e: DayEvent, percentile: number | null = 0.9995): DayEvent => ({ ...e, outlier: true, distance: 50, percentile, reasons: [] });

/** A routine history from the baseline month's rows and the day's events. */
function history(month: AuditEvent[], day: readonly DayEvent[]): RoutineHistory {
  return { ...actionHabits(month, TZ), today: countToday(day) };
}

function findingsOf(events: readonly DayEvent[], routine: RoutineHistory = history([], events)): Finding[] {
  return buildFindings({ day: DAY, baselineMonth: MONTH, lateNightWindow: config.lateNightWindow.text, events, routine });
}

const codes = (f: Finding) => f.reasonDetails.map((r) => r.code);
const reason = (f: Finding, code: string) => f.reasonDetails.find((r) => r.code === code);

/** `n` local times "HH:MM:SS", `seconds` apart, from `start` (seconds of the day; 10:00). */
function times(n: number, seconds: number, start = 10 * 3600): string[] {
  return Array.from({ length: n }, (_, i) => {
    const s = start + i * seconds;
    return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((v) => String(v).padStart(2, "0")).join(":");
  });
}

describe("findings: grouping", () => {
  it("a burst of 40 exports by one account within 30 minutes is one high export finding", () => {
    const rows = times(40, 45).map((t) => exported(t));
    const findings = findingsOf(dayEvents(rows));
    assert.equal(findings.length, 1);
    const [f] = findings as [Finding];
    assert.equal(f.eventCount, 40);
    assert.equal(f.events.length, 40);
    assert.equal(f.kind, "export");
    assert.equal(f.severity, "high", "at least VOLUME_EXPORTS exports raise a medium export");
    assert.equal(reason(f, "export")?.params.count, 40);
    assert.equal(f.account, "alice");
    assert.equal(f.from, "2026-11-22T10:00:00+09:00");
    assert.equal(f.to, "2026-11-22T10:29:15+09:00");
  });

  it("fewer exports than VOLUME_EXPORTS are not raised", () => {
    const rows = times(VOLUME_EXPORTS - 1, 60).map((t) => exported(t));
    const [f, ...rest] = findingsOf(dayEvents(rows));
    assert.equal(rest.length, 0);
    assert.equal(f!.eventCount, VOLUME_EXPORTS - 1);
    assert.equal(f!.severity, "medium");
  });

  it("two people doing the same at the same time are two findings", () => {
    const rows = times(5, 60).flatMap((t) => [exported(t, "alice"), exported(t, "bob")]);
    const findings = findingsOf(dayEvents(rows));
    assert.equal(findings.length, 2);
    assert.deepEqual(findings.map((f) => f.account).sort(), ["alice", "bob"]);
    for (const f of findings) {
      assert.equal(f.eventCount, 5);
      assert.ok(f.events.every((e) => e.account === f.account));
    }
    assert.notEqual(findings[0]!.id, findings[1]!.id);
  });

  it("one person across sources is one finding where the accounts are the same text, case aside", () => {
    const rows = [exported("10:00:00", "a.sato@example.co.jp"), auth0Row("10:10:00", "gd_unenroll", "A.Sato@example.co.jp")];
    const findings = findingsOf(dayEvents(rows));
    assert.equal(findings.length, 1);
    const [f] = findings as [Finding];
    assert.equal(f.eventCount, 2);
    assert.deepEqual(
      f.accounts.map((a) => [a.source, a.account]).sort(),
      [["auth0", "A.Sato@example.co.jp"], ["kintone", "a.sato@example.co.jp"]],
    );
    assert.equal(f.severity, "high", "the MFA removal makes the whole finding high");
  });

  it("a login name that only resembles the mail address is another person", () => {
    const rows = [exported("10:00:00", "a-sato"), auth0Row("10:10:00", "gd_unenroll", "a.sato@example.co.jp")];
    const findings = findingsOf(dayEvents(rows));
    assert.equal(findings.length, 2);
    assert.deepEqual(findings.map((f) => f.account).sort(), ["a-sato", "a.sato@example.co.jp"]);
    for (const f of findings) assert.equal(f.accounts.length, 1);
  });

  it("the same account's notable events further apart than EPISODE_GAP_MINUTES are two episodes", () => {
    const apart = findingsOf(dayEvents([exported("10:00:00"), exported("13:00:00")]));
    assert.equal(apart.length, 2);
    assert.deepEqual(apart.map((f) => f.from).sort(), ["2026-11-22T10:00:00+09:00", "2026-11-22T13:00:00+09:00"]);
    assert.ok(apart.every((f) => f.eventCount === 1));
    // Exactly the gap apart is still one episode; a minute more is two.
    const gap = times(2, EPISODE_GAP_MINUTES * 60);
    assert.equal(findingsOf(dayEvents(gap.map((t) => exported(t)))).length, 1);
    const over = times(2, (EPISODE_GAP_MINUTES + 1) * 60);
    assert.equal(findingsOf(dayEvents(over.map((t) => exported(t)))).length, 2);
  });

  it("events without an account are one person per app (a machine credential), else per address", () => {
    const machine = (time: string) => auth0Row(time, "gd_unenroll", "");
    const byApp = [machine("10:00:00"), machine("10:05:00")].map((e, i) => ({ ...e, appId: "cli1", ip: `198.51.100.${i + 1}` }));
    const one = findingsOf(dayEvents(byApp));
    assert.equal(one.length, 1);
    assert.equal(one[0]!.eventCount, 2);
    assert.equal(one[0]!.addresses.length, 2);
    const byAddress = [machine("10:00:00"), machine("10:05:00")].map((e, i) => ({ ...e, ip: `198.51.100.${i + 1}` }));
    assert.equal(findingsOf(dayEvents(byAddress)).length, 2);
  });

  it("events that are not notable make no finding", () => {
    const rows = [at("10:00:00", { action: "Record view" }), login("10:05:00", "alice", "203.0.113.10")];
    assert.deepEqual(findingsOf(dayEvents(rows)), []);
  });
});

describe("findings: severity", () => {
  it("comes high, then medium, then low; a catalogue-high Auth0 event ranks before a medium export", () => {
    const day = dayEvents([
      exported("09:00:00", "bob"),
      at("08:00:00", { account: "carol", action: "Record view" }),
      auth0Row("11:00:00", "gd_unenroll", "alice@example.com"),
    ]);
    // carol's view is a mild outlier (below MEDIUM_PERCENTILE): low.
    const events = day.map((e) => (e.listed.account === "carol" ? asOutlier(e, 0.9) : e));
    const findings = findingsOf(events);
    assert.deepEqual(findings.map((f) => [f.severity, f.kind, f.account]), [
      ["high", "critical", "alice@example.com"],
      ["medium", "export", "bob"],
      ["low", "outlier", "carol"],
    ]);
    const mfa = findings[0]!;
    assert.equal(reason(mfa, "catalogue")?.params.label, "MFA enrollment removed");
    assert.equal(mfa.summary, findingSummary(mfa, "en"));
    assert.match(mfa.summary, /MFA enrollment removed/);
  });
});

describe("findings: routine", () => {
  const ADMIN = "admin";
  const OFFICE_IP = "203.0.113.50";
  /** `action` at level Notice by the admin on `days` days of the baseline month at 10:15 from the office. */
  const habit = (action: string, days: number, ip = OFFICE_IP) =>
    Array.from({ length: days }, (_, i) => event(`${MONTH}-${String(i + 5).padStart(2, "0")}T10:15:00`, { account: ADMIN, action, level: "Notice", isCritical: true, ip }));
  const today = (action: string, fields: Partial<AuditEvent> = {}) => at("10:30:00", { account: ADMIN, action, level: "Notice", ip: OFFICE_IP, ...fields });

  it("the same critical action on ROUTINE_MIN_DAYS days, at the usual hour, from the usual address, is a low routine finding", () => {
    const day = dayEvents([today("Record delete")]);
    assert.equal(day[0]!.flags.isCritical, true);
    const findings = findingsOf(day, history(habit("Record delete", 4), day));
    assert.equal(findings.length, 1);
    const [f] = findings as [Finding];
    assert.equal(f.severity, "low");
    assert.equal(f.kind, "routine");
    assert.deepEqual(f.routine, { days: 4, month: MONTH });
    assert.deepEqual(reason(f, "routine")?.params, { days: 4, month: MONTH });
    // Without the habit it is a critical finding, not low.
    const [plain] = findingsOf(day);
    assert.equal(plain!.kind, "critical");
    assert.notEqual(plain!.severity, "low");
    assert.equal(plain!.routine, undefined);
  });

  it("fewer than ROUTINE_MIN_DAYS days are no routine", () => {
    const day = dayEvents([today("Record delete")]);
    const [f] = findingsOf(day, history(habit("Record delete", ROUTINE_MIN_DAYS - 1), day));
    assert.equal(f!.kind, "critical");
    assert.equal(f!.routine, undefined);
  });

  it("the same action from a new address is not routine", () => {
    const day = dayEvents([today("Record delete", { ip: "198.51.100.77" })]);
    const [f] = findingsOf(day, history(habit("Record delete", 4), day));
    assert.equal(f!.kind, "critical");
    assert.ok(!codes(f!).includes("routine"));
  });

  it("the same action at an hour the account never works is not routine", () => {
    const day = dayEvents([at("16:30:00", { account: ADMIN, action: "Record delete", level: "Notice", ip: OFFICE_IP })]);
    const [f] = findingsOf(day, history(habit("Record delete", 4), day));
    assert.equal(f!.kind, "critical");
  });

  it("four times the busiest day's count is not routine (volume); up to twice and one more is", () => {
    const month = habit("Record delete", 4); // one a day
    const four = dayEvents(times(4, 60, 10 * 3600 + 30 * 60).map((t) => at(t, { account: ADMIN, action: "Record delete", level: "Notice", ip: OFFICE_IP })));
    const [many] = findingsOf(four, history(month, four));
    assert.equal(many!.eventCount, 4);
    assert.equal(many!.kind, "critical");
    assert.notEqual(many!.severity, "low");
    const three = dayEvents(times(3, 60, 10 * 3600 + 30 * 60).map((t) => at(t, { account: ADMIN, action: "Record delete", level: "Notice", ip: OFFICE_IP })));
    const [usual] = findingsOf(three, history(month, three));
    assert.equal(usual!.kind, "routine");
    assert.equal(usual!.severity, "low");
  });

  it("an event the catalogue rates high is routine by its own habit, or by the account's critical work when it made that change last month too", () => {
    const day = dayEvents([today("configure security setting")]);
    assert.equal(day[0]!.catalogue?.severity, "high");
    // The admin's critical work on most days (add user, Record delete, one security change) makes today's security change routine...
    const later = (rows: AuditEvent[], days: number) => rows.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt.getTime() + days * 86_400_000) }));
    const otherWork = [...habit("add user", 2), ...later(habit("Record delete", 2), 3)];
    const [byWork] = findingsOf(day, history([...otherWork, ...later(habit("configure security setting", 1), 6)], day));
    assert.equal(byWork!.kind, "routine");
    assert.equal(byWork!.severity, "low");
    assert.equal(byWork!.routine?.days, 5);
    // ...not when it never made that change: a first one is news however busy the admin is...
    const [first] = findingsOf(day, history(otherWork, day));
    assert.equal(first!.kind, "critical");
    assert.equal(first!.severity, "high");
    // ...nor on fewer days than ROUTINE_MIN_DAYS.
    const [notRoutine] = findingsOf(day, history(habit("add user", ROUTINE_MIN_DAYS - 1), day));
    assert.equal(notRoutine!.kind, "critical");
    assert.equal(notRoutine!.severity, "high");
    // Its own habit does make it routine.
    const [own] = findingsOf(day, history(habit("configure security setting", 3), day));
    assert.equal(own!.kind, "routine");
    assert.equal(own!.severity, "low");
    assert.equal(own!.routine?.days, 3);
  });

  it("an action the account never did last month is no routine by its critical work; nor is an event inside a large burst", () => {
    const day = dayEvents([today("App delete")]);
    const [first] = findingsOf(day, history(habit("add user", 6), day));
    assert.notEqual(first!.kind, "routine", "a first app deletion");
    const [byWork] = findingsOf(day, history([...habit("add user", 6), ...habit("App delete", 1).map((e) => ({ ...e, occurredAt: new Date(e.occurredAt.getTime() + 20 * 86_400_000) }))], day));
    assert.equal(byWork!.kind, "routine", "once last month and critical work on most days");
    // The admin's usual Record delete, inside 40 events in 10 minutes, is part of the burst's finding.
    const usual = dayEvents([today("Record delete")]);
    const burst = { code: "burst", text: "40 events by this account within 10 minutes (usually at most 3)", params: { count: 40, usual: 3, minutes: 10 } };
    const [inBurst] = findingsOf([{ ...asOutlier(usual[0]!), reasons: [burst] }], history(habit("Record delete", 4), usual));
    assert.notEqual(inBurst!.kind, "routine");
    assert.equal(inBurst!.routine, undefined);
  });

  it("routine work is its own low finding, one a day: it does not join a high one of the same hour", () => {
    const day = dayEvents([
      today("Record delete"),
      // From another address: not routine.
      today("configure security setting", { occurredAt: new Date(Date.parse(`${DAY}T10:40:00+09:00`)), ip: "198.51.100.9" }),
      today("Record delete", { occurredAt: new Date(Date.parse(`${DAY}T11:45:00+09:00`)) }),
    ]);
    const findings = findingsOf(day, history(habit("Record delete", 4), day));
    assert.equal(findings.length, 2, JSON.stringify(findings.map((f) => [f.kind, f.severity, f.eventCount])));
    const [high, routine] = findings as [Finding, Finding];
    assert.equal(high.severity, "high");
    assert.deepEqual(high.events.map((e) => e.action), ["configure security setting"]);
    assert.equal(routine.kind, "routine");
    assert.equal(routine.severity, "low");
    assert.deepEqual(routine.events.map((e) => e.action), ["Record delete", "Record delete"], "75 minutes apart, still one routine finding");
    assert.match(routine.summary, /^admin: Other important \(Notice\) event \(2 events in all\) between 10:30 and 11:45 from 203\.0\.113\.50 \(routine: 4 days last month\)$/);
  });
});

describe("findings: reasons", () => {
  it("every outlier has at least one reason: rarity when the feature set gave none", () => {
    const [plain] = dayEvents([at("10:00:00", { account: "dave", action: "Record view" })]);
    const [f] = findingsOf([asOutlier(plain!, 0.9995)]);
    assert.equal(f!.kind, "outlier");
    assert.ok(f!.reasons.length >= 1);
    assert.deepEqual(reason(f!, "rarity")?.params, { percent: "99.95" });
    assert.equal(f!.reasons.length, f!.reasonDetails.length);
    // Rarer than the whole month: a rarity reason without a percentage.
    const [g] = findingsOf([asOutlier(plain!, null)]);
    assert.ok(reason(g!, "rarity"));
    assert.equal(reason(g!, "rarity")!.params.percent, undefined);
  });

  it("an outlier's feature reasons are kept", () => {
    const [plain] = dayEvents([at("10:00:00", { account: "dave", action: "Record view", ip: "198.51.100.9" })]);
    const e = { ...asOutlier(plain!), reasons: [{ code: "new-address", text: "first time from 198.51.100.9 for this account", params: { ip: "198.51.100.9" } }] };
    const [f] = findingsOf([e]);
    assert.ok(codes(f!).includes("new-address"));
    assert.deepEqual(f!.addresses, [{ key: "198.51.100.9", count: 1, new: true }]);
  });
});

describe("findings: failed logins then a success", () => {
  const IP = "198.51.100.20";
  it(`${MIN_FAILURES} failed logins then a success from the same address within 10 minutes are one finding`, () => {
    const rows = [login("10:00:00", "erin", IP, true), login("10:02:00", "erin", IP, true), login("10:04:00", "erin", IP, true), login("10:06:00", "erin", IP)];
    const findings = findingsOf(dayEvents(rows));
    assert.equal(findings.length, 1);
    const [f] = findings as [Finding];
    assert.equal(f.kind, "failed-then-succeeded");
    assert.equal(f.eventCount, 4);
    assert.deepEqual(reason(f, "failed-then-succeeded")?.params, { failures: 3, ip: IP });
  });

  it("a success long after the failures is none", () => {
    const rows = [login("10:00:00", "erin", IP, true), login("10:01:00", "erin", IP, true), login("10:02:00", "erin", IP, true), login("10:30:00", "erin", IP)];
    assert.deepEqual(findingsOf(dayEvents(rows)), []);
  });

  it("one failure then a success is none, unless the success is an outlier", () => {
    const day = dayEvents([login("10:00:00", "erin", IP, true), login("10:01:00", "erin", IP)]);
    assert.deepEqual(findingsOf(day), []);
    const odd = day.map((e) => (e.flags.isLogin ? asOutlier(e) : e));
    const findings = findingsOf(odd);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.kind, "outlier");
    assert.equal(findings[0]!.eventCount, 1, "the failure alone is not notable");
  });
});

describe("findings: words", () => {
  it("rarityPercent gives enough decimals to stay below 100%", () => {
    assert.equal(rarityPercent(0.99973), "99.97");
    assert.equal(rarityPercent(0.95), "95");
    assert.equal(rarityPercent(0.995), "99.5");
    assert.equal(rarityPercent(1), null);
  });

  it("the Japanese summary and reasons of a finding of each kind carry no English of ours, and name the account", () => {
    const IP = "198.51.100.20";
    const admin = { account: "admin", level: "Notice", ip: "203.0.113.50" };
    const routineMonth = Array.from({ length: 3 }, (_, i) => event(`${MONTH}-0${i + 5}T10:15:00`, { ...admin, action: "Record delete", isCritical: true }));
    const day = dayEvents([
      ...times(12, 30).map((t) => exported(t, "exporter")),
      auth0Row("11:00:00", "gd_unenroll", "mfa.user@example.com"),
      login("10:00:00", "erin", IP, true), login("10:01:00", "erin", IP, true), login("10:02:00", "erin", IP, true), login("10:03:00", "erin", IP),
      login("03:10:00", "night", "203.0.113.10"),
      at("15:00:00", { account: "odd", action: "Record view" }),
      at("10:30:00", { ...admin, action: "Record delete" }),
    ]);
    const events = day.map((e) => (e.listed.account === "odd" ? asOutlier(e) : e));
    const findings = findingsOf(events, history(routineMonth, events));
    assert.deepEqual(new Set(findings.map((f) => f.kind)), new Set(["export", "critical", "failed-then-succeeded", "late-night", "outlier", "routine"]));
    const english = ["exported", "between", "from", "routine", "login", "logged", "files", "events", "unusual", "rarer", "times", "inside"];
    for (const f of findings) {
      const ja = findingSummary(f, "ja");
      const jaReasons = findingReasons(f, "ja");
      assert.ok(ja.includes(f.account), `${f.kind}: ${ja}`);
      assert.notEqual(ja, findingSummary(f, "en"));
      assert.equal(jaReasons.length, f.reasonDetails.length);
      for (const text of [ja, ...jaReasons]) {
        for (const word of english) assert.ok(!new RegExp(`\\b${word}\\b`, "i").test(text), `${f.kind}: "${word}" in ${text}`);
      }
    }
    const routine = findings.find((f) => f.kind === "routine")!;
    assert.match(findingSummary(routine, "ja"), /定常業務: 先月 3 日/);
    const exportFinding = findings.find((f) => f.kind === "export")!;
    assert.match(findingSummary(exportFinding, "ja"), /12 件をエクスポート/);
    assert.match(exportFinding.summary, /exported 12 files/);
  });
});
