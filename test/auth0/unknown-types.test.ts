/**
 * An Auth0 type code the log-type table does not know: stored, shown as its code in the report,
 * and counted in source health (the report model and both parts of the mail).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Database } from "../../src/store/database.ts";
import type { AuditEvent } from "../../src/core/types.ts";
import { buildReport } from "../../src/report/build-report.ts";
import { renderReport } from "../../src/mail/render-report.ts";
import { summarizeReport } from "../../src/schedule/daily-report.ts";
import { normalizeAuth0Event } from "../../src/sources/auth0/normalize.ts";
import { event, openTestDatabase, store, testConfig } from "../report/fixtures.ts";

const TENANT = "example-corp.jp.auth0.com";

let db: Database;
before(async () => {
  db = await openTestDatabase();
});
after(async () => db.close());

/** An Auth0 event normalised from a record in Auth0's shape. */
function auth0Event(date: string, type: string, id: string): AuditEvent {
  const record = { date, type, description: "", ip: "198.51.100.21", user_name: "alice@example.com", client_id: "AbCdEf0123456789AbCdEf0123456789", client_name: "Portal", hostname: TENANT, log_id: id };
  const result = normalizeAuth0Event(record, TENANT, id, testConfig());
  assert.ok(result.ok);
  return result.event;
}

test("unknown type codes are counted per source in the report's health and shown in the mail; the event is listed by its code", async () => {
  // The unknown code is made critical by the setting, so a section lists it (with its code as the action).
  const config = testConfig({ AUTH0_CRITICAL_TYPES: "limit_wc,zz_future_type" });
  await store(db, [
    auth0Event("2026-10-05T00:10:00.000Z", "s", "900202610050010"),
    auth0Event("2026-10-05T00:20:00.000Z", "zz_future_type", "900202610050020"),
    auth0Event("2026-10-05T00:30:00.000Z", "zz_future_type", "900202610050030"),
    auth0Event("2026-10-05T00:40:00.000Z", "qq_other_new", "900202610050040"),
    event("2026-10-05T10:00:00", { externalId: "console-1", action: "an action no table lists" }),
  ]);
  const report = await buildReport(db, config, "2026-10-06");
  const auth0Health = report.sources.find((s) => s.source === "auth0")!;
  assert.equal(auth0Health.eventsThatDay, 4);
  assert.equal(auth0Health.unknownActions, 3);
  const consoleHealth = report.sources.find((s) => s.source === "kintone")!;
  assert.equal(consoleHealth.unknownActions, undefined, "a source without a table of codes counts nothing");
  const listed = report.sections.critical.items.filter((e) => e.source === "auth0").map((e) => e.action);
  assert.deepEqual(listed, ["zz_future_type", "zz_future_type"]);

  const en = await renderReport(report, { lang: "en" });
  assert.match(en.text, /actions not in the source's table \(shown as their code\): 3/);
  assert.match(en.html, /\(shown as their code\): 3/);
  assert.match(en.text, /zz_future_type/);
  const ja = await renderReport(report, { lang: "ja" });
  assert.match(ja.text, /ソースの表にないアクション（コードのまま表示）: 3/);
  // kansa run's terminal summary says it too.
  assert.match(summarizeReport(report), /auth0 example-corp\.jp\.auth0\.com: 4 event\(s\), [^\n]*, 3 action\(s\) not in the source's table\./);
});

test("a day whose Auth0 codes are all known says nothing about unknown codes", async () => {
  await store(db, [auth0Event("2026-10-07T00:10:00.000Z", "s", "900202610070010"), auth0Event("2026-10-07T00:20:00.000Z", "ssa", "900202610070020")]);
  const report = await buildReport(db, testConfig(), "2026-10-08");
  assert.equal(report.sources.find((s) => s.source === "auth0")!.unknownActions, 0);
  const { text } = await renderReport(report, { lang: "en" });
  assert.doesNotMatch(text, /not in the source's table/);
  assert.doesNotMatch(summarizeReport(report), /not in the source's table/);
});
