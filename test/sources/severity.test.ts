/**
 * The sources' severity catalogues and action words: which events are high, medium or low, in
 * whose words, and how AUTH0_SEVERITY / CONSOLE_SEVERITY change them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ROOT } from "../helpers/cli.ts";
import type { ClassifiableEvent } from "../../src/core/classification.ts";
import type { JsonObject } from "../../src/core/types.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { auth0 } from "../../src/sources/auth0/index.ts";
import { AUTH0_LOG_TYPES } from "../../src/sources/auth0/log-types.ts";
import { kintone } from "../../src/sources/kintone/index.ts";
import { AUTH0_SEVERITY_CATALOGUE } from "../../src/sources/auth0/severity.ts";
import { CONSOLE_SEVERITY_CATALOGUE } from "../../src/sources/kintone/severity.ts";

const defaults = loadConfig({});

function auth0Event(record: Record<string, unknown>): ClassifiableEvent {
  const data = (record.detail as { data?: Record<string, unknown> } | undefined)?.data ?? record;
  return { action: String(data.type), level: null, result: null, raw: record as JsonObject };
}

function sapi(method: string, path: string): ClassifiableEvent {
  return auth0Event({ type: "sapi", description: "Update tenant settings", details: { request: { method, path } } });
}

const severityOf = (event: ClassifiableEvent, config = defaults) => auth0.severityOf!(event, config);

test("auth0: an MFA enrollment removed is high, in the catalogue's words, and described by Auth0's title", () => {
  const event = auth0Event({ type: "gd_unenroll", description: "attacker <b>words</b>" });
  assert.deepEqual(severityOf(event), { severity: "high", label: { en: "MFA enrollment removed", ja: "MFAの登録解除" } });
  assert.deepEqual(auth0.describe!(event), { en: "Unenroll MFA device account", ja: "MFAデバイスの登録解除" });
});

test("auth0: a tenant-settings write is high with or without the /api prefix; its label is the catalogue's, its words the call", () => {
  for (const path of ["/api/v2/tenants/settings", "/v2/tenants/settings", "/api/v2/tenants/settings?fields=x"]) {
    const entry = severityOf(sapi("PATCH", path));
    assert.equal(entry?.severity, "high", path);
    assert.equal(entry?.label.en, "Tenant settings changed (Management API)");
    assert.ok(!entry?.label.en.includes("/"), "the label carries no path");
  }
  assert.deepEqual(auth0.describe!(sapi("patch", "/api/v2/tenants/settings?x=<script>")), {
    en: "Management API: PATCH /api/v2/tenants/settings",
    ja: "Management API: PATCH /api/v2/tenants/settings",
  });
});

test("auth0: attack protection as Auth0 logs it (/v2/attack-protection/...) and role assignments are high", () => {
  assert.equal(severityOf(sapi("PATCH", "/v2/attack-protection/brute-force-protection"))?.label.en, "Attack protection changed (Management API)");
  const assignment = severityOf(sapi("POST", "/api/v2/users/auth0|abc/roles"));
  assert.deepEqual(assignment, { severity: "high", label: { en: "Roles or role assignments changed (Management API)", ja: "ロールまたはロール割り当ての変更（Management API）" } });
  assert.equal(severityOf(sapi("POST", "/api/v2/roles/rol_1/users"))?.severity, "high");
  assert.equal(severityOf(sapi("DELETE", "/api/v2/users/auth0|abc"))?.label.en, "User deleted (Management API)");
});

test("auth0: other writes are medium or low, and a read is not high", () => {
  assert.equal(severityOf(sapi("PATCH", "/api/v2/users/auth0|abc"))?.severity, "medium");
  assert.equal(severityOf(sapi("POST", "/api/v2/jobs/users-exports"))?.label.en, "Users exported (Management API)");
  assert.equal(severityOf(sapi("POST", "/api/v2/email-templates/welcome"))?.severity, "low");
  assert.equal(severityOf(sapi("GET", "/api/v2/tenants/settings")), null);
  assert.equal(severityOf(auth0Event({ type: "mgmt_api_read" }))?.severity, "low");
  assert.equal(severityOf(auth0Event({ type: "s" })), null);
  assert.equal(severityOf(auth0Event({ type: "limit_wc" }))?.severity, "high");
  assert.equal(severityOf(auth0Event({ type: "api_limit" }))?.severity, "medium");
});

test("auth0: an EventBridge envelope is read as its event", () => {
  const envelope = { version: "0", "detail-type": "Auth0 log", source: "aws.partner/auth0.com", detail: { log_id: "1", data: { type: "sapi", details: { request: { method: "DELETE", path: "/api/v2/log-streams/lst_1" } } } } };
  const event = auth0Event(envelope);
  assert.equal(event.action, "sapi");
  assert.equal(severityOf(event)?.label.en, "Log streams changed (Management API)");
  assert.equal(auth0.describe!(event)?.en, "Management API: DELETE /api/v2/log-streams/lst_1");
});

test("auth0: AUTH0_SEVERITY changes, removes and adds entries", () => {
  const config = loadConfig({ AUTH0_SEVERITY: "gd_unenroll=medium, sapi:/api/v2/clients=high, limit_wc=none, s=low, sapi:GET /api/v2/x=high" });
  assert.equal(severityOf(auth0Event({ type: "gd_unenroll" }), config)?.severity, "medium");
  assert.equal(severityOf(sapi("PATCH", "/v2/clients/abc"), config)?.severity, "high");
  assert.equal(severityOf(sapi("PATCH", "/v2/clients/abc"), config)?.label.en, "Applications changed (Management API)");
  assert.equal(severityOf(auth0Event({ type: "limit_wc" }), config), null);
  assert.deepEqual(severityOf(auth0Event({ type: "s" }), config), { severity: "low", label: AUTH0_LOG_TYPES.s });
  assert.equal(severityOf(sapi("PATCH", "/v2/tenants/settings"), config)?.severity, "high", "the rest stays");
  assert.equal(severityOf(sapi("GET", "/api/v2/x"), config), null, "sapi entries match writes only");
});

test("a malformed severity override is an error naming the setting and the item", () => {
  assert.throws(() => loadConfig({ AUTH0_SEVERITY: "gd_unenroll=urgent" }), /AUTH0_SEVERITY .*"gd_unenroll=urgent"/);
  assert.throws(() => loadConfig({ AUTH0_SEVERITY: "pwd_leak=high,gd_unenroll" }), /AUTH0_SEVERITY .*"gd_unenroll"/);
  assert.throws(() => loadConfig({ AUTH0_SEVERITY: "=high" }), /AUTH0_SEVERITY .*"=high"/);
});

test("auth0: every log type of the table has English and Japanese words; the schemas' 166 types and the catalogue's are there", () => {
  const codes = Object.keys(AUTH0_LOG_TYPES);
  assert.ok(codes.length >= 166, `${codes.length} types`);
  for (const code of codes) {
    const words = AUTH0_LOG_TYPES[code]!;
    assert.ok(words.en.trim() !== "" && words.ja.trim() !== "", code);
    assert.match(words.ja, /[\u3040-\u30ff\u4e00-\u9fff]/, `${code}: Japanese words`);
  }
  for (const code of ["s", "f", "fp", "fu", "sapi", "mgmt_api_read", "gd_unenroll", "pwd_leak", "signup_pwd_leak", "limit_mu", "sdu", "du", "seccft"]) {
    assert.ok(code in AUTH0_LOG_TYPES, code);
  }
  assert.equal(auth0.describe!(auth0Event({ type: "no_such_type" })), null);
});

test("auth0: every type the critical list names by default has a catalogue entry", () => {
  for (const type of defaults.auth0CriticalTypes) assert.notEqual(severityOf(auth0Event({ type })), null, type);
});

function consoleEvent(level: string, module: string, action: string): ClassifiableEvent {
  return { action, level, result: "SUCCESS", raw: { Level: level, Module: module, Action: action, Result: "SUCCESS" } };
}

const consoleSeverity = (event: ClassifiableEvent, config = defaults) => kintone.severityOf!(event, config);

test("console: Notice-level administration of security, administrators and users is high, in both UIs' words", () => {
  const security = consoleSeverity(consoleEvent("重要", "System administration", "configure security setting"));
  assert.deepEqual(security, { severity: "high", label: { en: "Security, login or audit settings changed", ja: "セキュリティ・ログイン・監査の設定の変更" } });
  assert.equal(consoleSeverity(consoleEvent("Notice", "System administration", "configure login setting"))?.severity, "high");
  assert.equal(consoleSeverity(consoleEvent("Notice", "System administration", "disable audit log"))?.severity, "high");
  assert.equal(consoleSeverity(consoleEvent("重要", "System administration", "change administrator"))?.label.en, "Administrators changed");
  assert.equal(consoleSeverity(consoleEvent("重要", "User Administration", "delete user"))?.label.en, "Users, organizations or groups administered");
  assert.equal(consoleSeverity(consoleEvent("重要", "システム管理", "IPアドレス制限の変更"))?.severity, "high");
  assert.deepEqual(kintone.describe!(consoleEvent("重要", "System administration", "configure security setting")), { en: "Configure security settings", ja: "セキュリティ設定の変更" });
});

test("console: other Notice events, bulk deletes and exports are medium; an ordinary record view has no entry", () => {
  assert.equal(consoleSeverity(consoleEvent("重要", "App operation", "Record export"))?.label.en, "Data exported");
  assert.equal(consoleSeverity(consoleEvent("情報", "App operation", "Record export"))?.severity, "medium");
  assert.equal(consoleSeverity(consoleEvent("重要", "App operation", "Record bulk delete"))?.label.en, "Records deleted in bulk");
  assert.equal(consoleSeverity(consoleEvent("重要", "App management", "App settings change"))?.label.en, "Other important (Notice) event");
  assert.equal(consoleSeverity(consoleEvent("情報", "App operation", "Record view")), null);
  assert.equal(consoleSeverity(consoleEvent("情報", "Authentication", "login")), null);
  assert.equal(consoleSeverity(consoleEvent("情報", "System administration", "configure security setting")), null, "high needs the Notice level");
  assert.deepEqual(kintone.describe!(consoleEvent("情報", "App operation", "Record view")), { en: "Record view", ja: "レコードの閲覧" });
  assert.equal(kintone.describe!(consoleEvent("情報", "App operation", "something new")), null);
});

test("console: CONSOLE_SEVERITY changes, removes and adds entries", () => {
  const config = loadConfig({ CONSOLE_SEVERITY: "ユーザー=high,Export=low,notice=none,Record View=low" });
  assert.equal(consoleSeverity(consoleEvent("情報", "ユーザー管理", "ユーザーの追加"), config)?.severity, "high");
  assert.equal(consoleSeverity(consoleEvent("情報", "App operation", "Record export"), config)?.severity, "low");
  assert.equal(consoleSeverity(consoleEvent("重要", "App management", "App settings change"), config), null);
  assert.equal(consoleSeverity(consoleEvent("情報", "App operation", "Record view"), config)?.severity, "low");
  assert.equal(consoleSeverity(consoleEvent("重要", "System administration", "configure security setting"), config)?.severity, "high", "the rest stays");
  assert.throws(() => loadConfig({ CONSOLE_SEVERITY: "security=critical" }), /CONSOLE_SEVERITY .*"security=critical"/);
});

test("the README's severity catalogue lists every entry's key with its severity", () => {
  const readme = readFileSync(`${ROOT}/README.md`, "utf8");
  const start = readme.indexOf("### Severity catalogue");
  assert.ok(start >= 0, "README.md has a Severity catalogue section");
  const section = readme.slice(start, readme.indexOf("\n## ", start));
  const rows = section.split("\n").filter((line) => line.startsWith("| high") || line.startsWith("| medium") || line.startsWith("| low"));
  for (const entry of [...AUTH0_SEVERITY_CATALOGUE, ...CONSOLE_SEVERITY_CATALOGUE]) {
    const row = rows.find((line) => line.includes(`\`${entry.key}\``));
    assert.ok(row, `${entry.key} is missing from the README's catalogue`);
    assert.ok(row.startsWith(`| ${entry.severity} `), `${entry.key}: ${entry.severity} in the README`);
  }
});
