import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { normalizeBatch } from "../../src/normalize/index.ts";
import { parseComplement } from "../../src/sources/kintone/complement.ts";
import { kintone, normalizeConsoleRow, consoleRowId } from "../../src/sources/kintone/index.ts";
import { readConsoleCsv } from "../../src/sources/kintone/console-csv/index.ts";
import type { AuditEvent } from "../../src/core/types.ts";
import { rowRecords, type ConsoleRow } from "../../src/sources/kintone/console-csv/read-console-csv.ts";
import { defaultConfig } from "../helpers/options.ts";

const options = defaultConfig("Asia/Tokyo");

async function rowsOf(path: string): Promise<ConsoleRow[]> {
  const rows: ConsoleRow[] = [];
  for await (const batch of readConsoleCsv(readFileSync(path), { origin: path })) rows.push(...batch.rows);
  return rows;
}

function normalized(rows: ConsoleRow[]): AuditEvent[] {
  return rows.map((row) => {
    const result = normalizeConsoleRow(row, "example.cybozu.com", "fixture.csv", options);
    assert.ok(result.ok, `line ${row.line} should normalise`);
    return result.event;
  });
}

test("a console export row becomes a kintone event with the classic fields", async () => {
  const [first] = normalized(await rowsOf("test/fixtures/console/ja-bom.csv"));
  assert.ok(first);
  assert.equal(first.source, "kintone");
  assert.equal(first.tenant, "example.cybozu.com");
  assert.equal(first.occurredAt.toISOString(), "2026-10-01T09:30:05.000Z"); // 18:30:05 JST
  assert.equal(first.account, "sato");
  assert.equal(first.action, "Record export");
  assert.equal(first.ip, "203.0.113.10");
  assert.equal(first.ipParsed, "203.0.113.10");
  assert.equal(first.appId, "12");
  assert.equal(first.appName, "顧客管理");
  assert.equal(first.level, "重要");
  assert.equal(first.result, "SUCCESS");
  assert.equal(first.isExport, true);
  assert.equal(first.isCritical, true);
  assert.equal(first.isLogin, false);
  assert.match(first.externalId, /^[0-9a-f]{64}$/);
  assert.equal(first.raw.Complement, "app id: 12, app name: 顧客管理, record id: 5");
});

test("identical rows in the same second get different ids through their ordinal; ids are stable", async () => {
  const rows = await rowsOf("test/fixtures/console/ja-bom.csv");
  const [a, b] = normalized(rows);
  assert.ok(a && b);
  assert.equal(rows[0]!.ordinal, 0);
  assert.equal(rows[1]!.ordinal, 1);
  assert.notEqual(a.externalId, b.externalId);
  const again = normalized(await rowsOf("test/fixtures/console/ja-bom.csv"));
  assert.deepEqual(again.map((e) => e.externalId), normalized(rows).map((e) => e.externalId));
});

test("the same entries exported by the Japanese and the English UI get the same ids", async () => {
  const ja = normalized(await rowsOf("test/fixtures/console/ja-bom.csv"));
  const en = normalized(await rowsOf("test/fixtures/console/en.csv"));
  assert.equal(ja.length, 7);
  assert.deepEqual(en.map((e) => e.externalId), ja.map((e) => e.externalId));
  assert.deepEqual(en.map((e) => e.isCritical), ja.map((e) => e.isCritical));
  assert.equal(en[0]!.level, "Notice");
});

test("logins, failed logins and hostile cells are classified and stored as given", async () => {
  const events = normalized(await rowsOf("test/fixtures/console/ja-bom.csv"));
  const [, , login, failed, validation, nobody, download] = events;
  assert.ok(login && failed && validation && nobody && download);
  assert.equal(login.isLogin, true);
  assert.equal(login.isFailedLogin, false);
  assert.equal(login.ipParsed, "2001:db8::10");
  assert.equal(failed.isLogin, false);
  assert.equal(failed.isFailedLogin, true);
  assert.equal(failed.ip, "xx.xxx.xxx.xx");
  assert.equal(failed.ipParsed, null);
  // The login name a failed login tried is its complement (issue 24): kept as text, hostile or not.
  assert.equal(validation.account, "<img src=x onerror=alert(1)>");
  assert.equal(validation.isFailedLogin, true);
  assert.equal(validation.raw.Complement, "<img src=x onerror=alert(1)>");
  assert.equal(nobody.ip, "");
  assert.equal(nobody.ipParsed, null);
  assert.equal(nobody.isCritical, true);
  assert.equal(nobody.raw.Complement, 'パスワードポリシー, "strict"\r\nline two');
  assert.equal(download.userAgent, 'Mozilla/5.0 "quoted", with comma');
  assert.equal(download.ipParsed, "192.0.2.1");
  assert.equal(download.appId, "7");
  assert.equal(download.appName, "見積, 2026");
  assert.equal(download.isExport, true, "a record file download is a documented download (issue 24)");
});

test("a row without a readable Date is a rejection naming file and line", () => {
  const row: ConsoleRow = { line: 17, ordinal: 0, cells: { Date: "yesterday", User: "x", Action: "login" } };
  const result = normalizeConsoleRow(row, "t", "audit.csv", options);
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  assert.equal(result.rejection.origin, "audit.csv");
  assert.equal(result.rejection.locator, "line 17");
  assert.match(result.rejection.reason, /"yesterday" is not a date/);
  const empty = normalizeConsoleRow({ line: 3, ordinal: 0, cells: {} }, "t", "a.csv", options);
  assert.ok(!empty.ok && /empty/.test(empty.rejection.reason));
});

test("unknown columns are kept in raw but do not change the id", () => {
  const cells = { Date: "2026/10/01 10:00:00", Level: "情報", User: "u", Action: "login", Module: "Authentication", Result: "SUCCESS" };
  const plain = consoleRowId({ line: 2, ordinal: 0, cells }, new Date("2026-10-01T01:00:00Z"));
  const extra = consoleRowId({ line: 9, ordinal: 0, cells: { ...cells, "Tenant Note": "x" } }, new Date("2026-10-01T01:00:00Z"));
  assert.equal(plain, extra);
  const next = consoleRowId({ line: 2, ordinal: 1, cells }, new Date("2026-10-01T01:00:00Z"));
  assert.notEqual(plain, next);
  const result = normalizeConsoleRow({ line: 2, ordinal: 0, cells: { ...cells, "Tenant Note": "x" } }, "t", "a.csv", options);
  assert.ok(result.ok);
  assert.equal(result.event.raw["Tenant Note"], "x");
});

test("the export pattern comes from the options (beside the documented exports)", () => {
  const cells = { Date: "2026/10/01 10:00:00", Action: "export records", Module: "App" };
  const custom = { ...options, exportActionPattern: /never-matches/ };
  const a = normalizeConsoleRow({ line: 2, ordinal: 0, cells }, "t", "a.csv", options);
  const b = normalizeConsoleRow({ line: 2, ordinal: 0, cells }, "t", "a.csv", custom);
  assert.ok(a.ok && b.ok);
  assert.equal(a.event.isExport, true);
  assert.equal(b.event.isExport, false);
  const japanese = normalizeConsoleRow({ line: 2, ordinal: 0, cells: { ...cells, Action: "レコードの書き出し" } }, "t", "a.csv", options);
  assert.ok(japanese.ok && japanese.event.isExport);
  const documented = normalizeConsoleRow({ line: 2, ordinal: 0, cells: { ...cells, Action: "export user", Module: "User Administration" } }, "t", "a.csv", custom);
  assert.ok(documented.ok && documented.event.isExport, "a documented export stays one");
});

test("the complement's app id and name, in English and Japanese forms", () => {
  assert.deepEqual(parseComplement("app id: 12, app name: 顧客管理, record id: 5"), { appId: "12", appName: "顧客管理" });
  assert.deepEqual(parseComplement("アプリID：34、アプリ名：案件管理、レコードID：8"), { appId: "34", appName: "案件管理" });
  assert.deepEqual(parseComplement("App ID: 5, App Name: Sales (2026)"), { appId: "5", appName: "Sales (2026)" });
  assert.deepEqual(parseComplement("user: tanaka"), { appId: null, appName: null });
  assert.deepEqual(parseComplement(""), { appId: null, appName: null });
});

test("normalizeBatch splits a console batch into events and rejections", () => {
  const rows: ConsoleRow[] = [
    { line: 2, ordinal: 0, cells: { Date: "2026/10/01 10:00:00", User: "a", Action: "login" } },
    { line: 3, ordinal: 0, cells: { Date: "bad", User: "b", Action: "login" } },
  ];
  const { events, rejections } = normalizeBatch({ source: "kintone", records: rowRecords(rows), origin: "f.csv", tenant: "t" }, kintone.normalize, options);
  assert.equal(events.length, 1);
  assert.deepEqual(rejections.map((r) => [r.origin, r.locator]), [["f.csv", "line 3"]]);
});
