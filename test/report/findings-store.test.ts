/**
 * Findings through the store (issue 23): buildReport with the profile feature set puts the day's
 * findings in the model, each complete (id, severity, kind, span, summary, reasons, events), none
 * cut at REPORT_SECTION_LIMIT, with ids stable across builds of the same day, and an
 * administrator's routine (the same critical action on most days of the baseline month, at the
 * usual hour, from the usual address) as a low routine finding.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Finding, ReportModel } from "../../src/core/report-model.ts";
import { SEVERITIES } from "../../src/core/report-model.ts";
import type { Database } from "../../src/store/database.ts";
import { buildReport } from "../../src/report/build-report.ts";
import { event, officeMonth, openTestDatabase, store, testConfig } from "./fixtures.ts";

const TODAY = "2026-11-23"; // reported day 2026-11-22, baseline month 2026-10
const NOW = new Date("2026-11-23T00:00:00Z");
const ADMIN = { account: "admin", level: "Notice", isCritical: true, ip: "203.0.113.50", appId: null, appName: null };
const EXPORTERS = ["alice", "bob", "carol"];
let db: Database;

before(async () => {
  db = await openTestDatabase();
  await store(db, [
    ...officeMonth("2026-10", 8),
    // The admin adds users on six days of the baseline month, mid-morning, from the office.
    ...[5, 6, 7, 8, 9, 12].map((d) => event(`2026-10-${String(d).padStart(2, "0")}T10:15:00`, { ...ADMIN, action: "add user", externalId: `admin-oct-${d}` })),
    // The reported day: the admin's usual work, and three people's exports an hour apart.
    event("2026-11-22T10:20:00", { ...ADMIN, action: "add user", externalId: "admin-today" }),
    ...EXPORTERS.map((account, i) => event(`2026-11-22T1${3 + i}:00:00`, { account, action: "ファイルを書き出し", isExport: true, externalId: `exp-${account}` })),
    event("2026-11-22T15:30:00", { account: "bob", action: "Record view", externalId: "ordinary" }),
  ]);
});

after(async () => db.close());

const build = (env: Record<string, string> = {}): Promise<ReportModel> => buildReport(db, testConfig({ FEATURE_SET: "profile", ...env }), TODAY, { now: NOW });

describe("findings in the report model", () => {
  it("are in the model, each complete, and survive JSON", async () => {
    const report = await build();
    const findings = report.findings ?? [];
    assert.equal(report.settings?.featureSet, "profile");
    assert.ok(findings.length >= EXPORTERS.length + 1, JSON.stringify(findings.map((f) => f.summary)));
    for (const f of findings) {
      assert.match(f.id, /^2026-11-22-[0-9a-f]{10}$/);
      assert.ok((SEVERITIES as readonly string[]).includes(f.severity), f.severity);
      assert.ok(f.kind.length > 0);
      assert.ok(f.from.startsWith("2026-11-22T") && f.to.startsWith("2026-11-22T") && f.from <= f.to, `${f.from}..${f.to}`);
      assert.ok(f.summary.includes(f.account), f.summary);
      assert.ok(f.reasons.length >= 1, `${f.id} has a reason`);
      assert.equal(f.reasons.length, f.reasonDetails.length);
      assert.ok(f.events.length >= 1);
      assert.equal(f.events.length, f.eventCount);
      assert.ok(f.events.every((e) => e.occurredAt >= f.from && e.occurredAt <= f.to));
    }
    // Most severe first.
    const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
    for (let i = 1; i < findings.length; i++) assert.ok(rank(findings[i - 1]!) <= rank(findings[i]!), "ordered by severity");
    for (const account of EXPORTERS) {
      const mine = findings.filter((f) => f.events.some((e) => e.externalId === `exp-${account}`));
      assert.equal(mine.length, 1, `${account}'s export in one finding`);
      assert.equal(mine[0]!.account, account);
    }
    assert.ok(!findings.some((f) => f.events.some((e) => e.externalId === "ordinary") && f.kind !== "outlier"), "an ordinary view is at most an outlier");
    assert.deepEqual(JSON.parse(JSON.stringify(report.findings)), report.findings);
  });

  it("are never cut at REPORT_SECTION_LIMIT", async () => {
    const all = await build();
    const limited = await build({ REPORT_SECTION_LIMIT: "1" });
    assert.equal(limited.sections.exports.items.length, 1, "the lists are capped");
    assert.equal(limited.sections.exports.total, EXPORTERS.length);
    const exportFindings = (limited.findings ?? []).filter((f) => f.kind === "export");
    assert.equal(exportFindings.length, EXPORTERS.length);
    assert.deepEqual((limited.findings ?? []).map((f) => f.id), (all.findings ?? []).map((f) => f.id));
  });

  it("keep their ids across two builds of the same day", async () => {
    const first = await build();
    const second = await build();
    const ids = (r: ReportModel) => (r.findings ?? []).map((f) => f.id);
    assert.ok(ids(first).length > 0);
    assert.deepEqual(ids(second), ids(first));
    assert.equal(new Set(ids(first)).size, ids(first).length, "ids are unique");
  });

  it("show an administrator's routine as a low routine finding", async () => {
    const report = await build();
    const admin = (report.findings ?? []).filter((f) => f.events.some((e) => e.externalId === "admin-today"));
    assert.equal(admin.length, 1, JSON.stringify(report.findings?.map((f) => [f.account, f.kind, f.severity])));
    const [f] = admin as [Finding];
    assert.equal(f.severity, "low");
    assert.equal(f.kind, "routine");
    assert.deepEqual(f.routine, { days: 6, month: "2026-10" });
    assert.ok(f.reasonDetails.some((r) => r.code === "routine" && r.params.days === 6));
    assert.match(f.summary, /routine: 6 days last month/);
  });

  it("the same work from another address is no routine", async () => {
    await store(db, [event("2026-11-22T10:40:00", { ...ADMIN, account: "admin", action: "add user", ip: "198.51.100.66", externalId: "admin-elsewhere" })]);
    try {
      const report = await build();
      const elsewhere = (report.findings ?? []).find((f) => f.events.some((e) => e.externalId === "admin-elsewhere"))!;
      assert.ok(elsewhere, "a finding");
      assert.notEqual(elsewhere.kind, "routine");
      assert.notEqual(elsewhere.severity, "low");
      assert.equal(elsewhere.routine, undefined);
    } finally {
      await db.query(`DELETE FROM "AuditEvent" WHERE "externalId" = $1`, ["admin-elsewhere"]);
    }
  });
});
