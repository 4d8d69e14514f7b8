/**
 * The console's documented actions (src/sources/kintone/documented-actions.ts) drive
 * classification, severity, the failed login's account and the complement's apps. The fixture
 * (test/fixtures/console-documented/audit-log.csv) holds rows in the forms the cybozu.com and kintone help
 * pages document.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { AuditEvent } from "../../src/core/types.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { readConsoleCsv } from "../../src/sources/kintone/console-csv/index.ts";
import type { ConsoleRow } from "../../src/sources/kintone/console-csv/read-console-csv.ts";
import { complementAppIds, loginNameOf, parseComplement } from "../../src/sources/kintone/complement.ts";
import { DOCUMENTED_ACTIONS, documentedAction, isDocumentedDownload, isDocumentedLogin } from "../../src/sources/kintone/documented-actions.ts";
import { normalizeConsoleRow } from "../../src/sources/kintone/normalize.ts";
import { CONSOLE_SEVERITY_CATALOGUE, consoleSeverityOf } from "../../src/sources/kintone/severity.ts";

const FIXTURE = "test/fixtures/console-documented/audit-log.csv";

function config(env: Record<string, string> = {}) {
  return loadConfig({ REPORT_TIMEZONE: "Asia/Tokyo", LOG_LEVEL: "silent", ...env });
}

async function events(env: Record<string, string> = {}): Promise<AuditEvent[]> {
  const rows: ConsoleRow[] = [];
  for await (const batch of readConsoleCsv(readFileSync(FIXTURE), { origin: FIXTURE })) rows.push(...batch.rows);
  return rows.map((row) => {
    const result = normalizeConsoleRow(row, "example.cybozu.com", FIXTURE, config(env));
    assert.ok(result.ok, `line ${row.line} normalises`);
    return result.event;
  });
}

const byTime = (all: AuditEvent[], hhmm: string) => {
  const found = all.find((e) => e.occurredAt.toISOString().slice(11, 16) === hhmm);
  assert.ok(found, `an event at ${hhmm} UTC`);
  return found;
};

test("every documented login action is a login or a failed login by its result, and nothing else is", async () => {
  const all = await events();
  const logins = all.filter((e) => e.isLogin).map((e) => `${e.action}/${e.account}`);
  const failed = all.filter((e) => e.isFailedLogin).map((e) => `${e.action}/${e.account}`);
  assert.deepEqual(logins, ["login/tanaka", "login (SAML)/sato", "login (session-less)/suzuki"]);
  assert.deepEqual(failed, ["login/mallory@example.com", "login API(v1)/api-bot", "login (SAML)/tanaka", "login/nobody"]);
  assert.equal(all.find((e) => e.action === "logout")!.isLogin, false);
});

test("a failed login of nobody shows the login name its complement holds; a real user keeps their name", async () => {
  const all = await events();
  assert.equal(byTime(all, "17:10").account, "mallory@example.com"); // 02:10 JST
  assert.equal(byTime(all, "17:11").account, "api-bot");
  assert.equal(byTime(all, "17:14").account, "tanaka", "the SAML failure of a known user");
  assert.equal(byTime(all, "17:15").account, "nobody", "a bare lockout marker is not a login name");
  assert.equal(loginNameOf("eve, lockout"), "eve");
  assert.equal(loginNameOf("line\nbreak"), null);
  assert.equal(loginNameOf("x".repeat(300)), null);
});

test("every documented download and export is an export, whatever EXPORT_ACTION_PATTERN says", async () => {
  for (const env of [{}, { EXPORT_ACTION_PATTERN: "^never$" }] as Record<string, string>[]) {
    const exports = (await events(env)).filter((e) => e.isExport).map((e) => e.action);
    assert.deepEqual(exports, ["download audit log archive", "export user (API v1)", "export user organization", "Record file download", "Record export"]);
  }
  assert.equal(isDocumentedDownload("Client Certificate", "download client certificate"), true, "a download the table lacks, by its word");
  assert.equal(isDocumentedDownload("App operation", "Record file upload"), false);
  assert.equal(isDocumentedDownload("User Administration", "export user service (API v1/json)"), true);
});

test("app ids and names are read from every documented complement form", async () => {
  const all = await events();
  const apps = (action: string) => all.filter((e) => e.action === action).map((e) => [e.appId, e.appName]);
  assert.deepEqual(apps("Record file download"), [["7", "見積"]]);
  assert.deepEqual(apps("App deploy"), [["55", null]]);
  assert.deepEqual(apps("App delete"), [["41", "顧客管理"], ["8", "旧見積"]]);
  assert.deepEqual(apps("App create from template file"), [[null, "案件管理"]]);
  // The other apps stay in the raw complement.
  assert.equal(all.find((e) => e.action === "App deploy")!.raw.Complement, "app id: [55, 56], revert: false");
  assert.deepEqual(complementAppIds("app id: [55, 56], revert: false"), ["55", "56"]);
  assert.deepEqual(parseComplement("app ids: [[41, 42]], app names: [[顧客管理, 見積]]"), { appId: "41", appName: "顧客管理" });
  assert.deepEqual(complementAppIds("app ids: [[41, 42]], app names: [[顧客管理, 見積]]"), ["41", "42"]);
  assert.deepEqual(parseComplement("app name: 新規, app group id: 3"), { appId: null, appName: "新規" });
  assert.equal(parseComplement("app id: 7, app name: 見積, record id: 99, filename: 見積書.pdf").appName, "見積", "an attachment's filename is not the app");
  assert.deepEqual(parseComplement("アプリID: 12, アプリ名: 顧客管理"), { appId: "12", appName: "顧客管理" });
});

test("actions match as logged: a version for %s, any case, a space or none before the parenthesis", () => {
  assert.equal(documentedAction("User Administration", "export user(API v1)")?.action, "export user (API %s)");
  assert.equal(documentedAction("User Administration", "Export User Group (API v1/csv)")?.action, "export user group (API %s/csv)");
  assert.equal(isDocumentedLogin("Authentication", "login API(v1)"), true);
  assert.equal(isDocumentedLogin("App operation", "login"), false, "a login is logged by Authentication");
  assert.equal(documentedAction("API operation", "App update")?.page, "kintone-api", "the event's module picks among same-named actions");
  assert.equal(documentedAction("Nowhere", "nothing"), null);
});

test("the table's severity keys are catalogue entries, and a documented action takes its entry", async () => {
  const keys = new Set(CONSOLE_SEVERITY_CATALOGUE.map((entry) => entry.key));
  for (const entry of DOCUMENTED_ACTIONS) if (entry.severity) assert.ok(keys.has(entry.severity), `${entry.action}: ${entry.severity}`);
  const all = await events();
  const severity = (action: string, env: Record<string, string> = {}) => consoleSeverityOf(all.find((e) => e.action === action)!, config(env));
  assert.equal(severity("download audit log archive")?.label.en, "Data exported");
  assert.equal(severity("assign administrators")?.severity, "high");
  // An attachment downloaded is low on its own (volume raises the finding); a record export medium.
  assert.deepEqual(severity("Record file download"), { severity: "low", label: { en: "Record attachment downloaded", ja: "添付ファイルのダウンロード" } });
  assert.equal(severity("Record file download", { CONSOLE_SEVERITY: "file-download=medium" })?.severity, "medium");
  assert.equal(severity("Record export")?.severity, "medium");
  assert.equal(severity("assign administrators", { CONSOLE_SEVERITY: "administrators=low" })?.severity, "low");
  assert.equal(severity("assign administrators", { CONSOLE_SEVERITY: "administrators=none" }), null, "a removed entry is not replaced by a guess");
  assert.equal(severity("assign administrators", { CONSOLE_SEVERITY: "assign=medium" })?.severity, "medium", "an added entry still comes first");
  assert.equal(severity("login"), null);
});
