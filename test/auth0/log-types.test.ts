/**
 * Auth0's log-type table (src/sources/auth0/log-types.ts) against what Auth0 documents: every code
 * of the auth0/auth0-log-schemas repository (its list checked in, with the commit it was read at),
 * the "Log Stream Filters" categories, outcomes, and the default flags the classification reads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { ClassifiableEvent } from "../../src/core/classification.ts";
import type { JsonObject } from "../../src/core/types.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { auth0 } from "../../src/sources/auth0/index.ts";
import { AUTH0_LOG_TYPE_TABLE, AUTH0_LOG_TYPES, auth0LogType, type Auth0Category } from "../../src/sources/auth0/log-types.ts";
import { normalizeAuth0Event, resultOf } from "../../src/sources/auth0/normalize.ts";

const defaults = loadConfig({});

interface SchemaList {
  source: string;
  commit: string;
  count: number;
  types: string[];
}

const schemas = JSON.parse(readFileSync("test/fixtures/auth0/log-schemas-types.json", "utf8")) as SchemaList;

/** The codes of the table in a category. */
function inCategory(category: Auth0Category): string[] {
  return Object.keys(AUTH0_LOG_TYPE_TABLE).filter((code) => AUTH0_LOG_TYPE_TABLE[code]!.category === category).sort();
}

function flagsOf(type: string, config = defaults) {
  const event: ClassifiableEvent = { action: type, level: null, result: null, raw: { type } as JsonObject };
  return auth0.classify(event, config);
}

test("the checked-in schema list is the repository's at a named commit, and every one of its codes is in the table", () => {
  assert.equal(schemas.source, "github:auth0/auth0-log-schemas");
  assert.match(schemas.commit, /^[0-9a-f]{40}$/);
  assert.equal(schemas.types.length, schemas.count);
  assert.equal(new Set(schemas.types).size, schemas.count, "no code twice");
  const missing = schemas.types.filter((code) => auth0LogType(code) === null);
  assert.deepEqual(missing, [], "codes of the schemas missing from src/sources/auth0/log-types.ts");
  // The table names the same commit as its source, so a newer list is read with a newer table.
  assert.ok(readFileSync("src/sources/auth0/log-types.ts", "utf8").includes(schemas.commit), "log-types.ts names the schemas' commit");
});

test("the schema check can fail: a list with a code the table lacks reports that code", () => {
  const longer = [...schemas.types, "zz_not_an_auth0_type"];
  assert.deepEqual(longer.filter((code) => auth0LogType(code) === null), ["zz_not_an_auth0_type"]);
});

test("every row has both languages' words, a known category and outcome, and boolean flags", () => {
  const categories = new Set<string>([
    "actions", "auth.login.fail", "auth.login.notification", "auth.login.success", "auth.logout.fail", "auth.logout.success",
    "auth.signup.fail", "auth.signup.success", "auth.silent_auth.fail", "auth.silent_auth.success",
    "auth.token_exchange.fail", "auth.token_exchange.success", "management.fail", "management.success",
    "scim.event", "system.notification", "user.fail", "user.notification", "user.success", "other",
  ]);
  for (const [code, row] of Object.entries(AUTH0_LOG_TYPE_TABLE)) {
    assert.ok(row.en.trim() !== "" && /[\u3040-\u30ff\u4e00-\u9fff]/.test(row.ja), `${code}: words`);
    assert.ok(categories.has(row.category), `${code}: category ${row.category}`);
    assert.ok(["success", "failure", "neutral"].includes(row.outcome), `${code}: outcome`);
    assert.equal(typeof row.critical, "boolean");
    assert.equal(typeof row.export, "boolean");
    if (row.category.endsWith(".fail")) assert.equal(row.outcome, "failure", `${code}: a failure category`);
    if (row.category.endsWith(".success")) assert.equal(row.outcome, "success", `${code}: a success category`);
    assert.deepEqual(AUTH0_LOG_TYPES[code], { en: row.en, ja: row.ja }, `${code}: the words table is the table's words`);
  }
});

interface FilterList {
  commit: string;
  filters: { filter: string; category: Auth0Category; types: string[] }[];
}

test("every type on Auth0's Log Stream Filters page has that filter's category, and every other type is 'other'", () => {
  const page = JSON.parse(readFileSync("test/fixtures/auth0/log-stream-filters.json", "utf8")) as FilterList;
  assert.match(page.commit, /^[0-9a-f]{40}$/);
  const listed = new Map<string, Auth0Category>();
  for (const { category, types } of page.filters) for (const code of types) listed.set(code, category);
  assert.ok(listed.size >= 80, `${listed.size} types listed`);
  for (const [code, category] of listed) assert.equal(auth0LogType(code)?.category, category, code);
  for (const [code, row] of Object.entries(AUTH0_LOG_TYPE_TABLE)) {
    if (!listed.has(code)) assert.equal(row.category, "other", `${code} is on no filter of the page`);
  }
});

test("the categories are the ones Auth0's Log Stream Filters page lists for the login, silent-auth and Management API filters", () => {
  assert.deepEqual(inCategory("auth.login.success"), ["s", "scoa", "sens"]);
  assert.deepEqual(inCategory("auth.login.fail"), ["f", "fc", "fco", "fcoa", "fens", "fp", "fu"]);
  assert.deepEqual(inCategory("auth.silent_auth.success"), ["ssa"]);
  assert.deepEqual(inCategory("auth.silent_auth.fail"), ["fsa"]);
  assert.deepEqual(inCategory("management.success"), ["mgmt_api_read", "sapi"]);
  assert.deepEqual(inCategory("auth.signup.fail"), ["fs"]);
  assert.ok(inCategory("auth.token_exchange.fail").includes("ferrt"));
  assert.ok(inCategory("system.notification").includes("limit_wc"));
  assert.ok(inCategory("user.notification").includes("gd_unenroll"));
  assert.equal(auth0LogType("pwd_leak")?.category, "other", "a type no filter lists is Auth0's 'other'");
});

test("logins are exactly s, scoa and sens; silent authentication is not one; failed logins are the Login - Failure codes", () => {
  const logins = Object.keys(AUTH0_LOG_TYPE_TABLE).filter((code) => flagsOf(code).isLogin).sort();
  assert.deepEqual(logins, ["s", "scoa", "sens"]);
  const failed = Object.keys(AUTH0_LOG_TYPE_TABLE).filter((code) => flagsOf(code).isFailedLogin).sort();
  assert.deepEqual(failed, ["f", "fc", "fco", "fcoa", "fens", "fp", "fu"]);
  assert.deepEqual(flagsOf("ssa"), { isExport: false, isCritical: false, isLogin: false, isFailedLogin: false });
  assert.equal(flagsOf("fsa").isFailedLogin, false);
});

test("outcomes: a Management API read is a success, a breached password refused at signup a failure, a warning neither", () => {
  assert.equal(auth0LogType("mgmt_api_read")?.outcome, "success");
  assert.equal(resultOf("mgmt_api_read"), "success");
  assert.equal(auth0LogType("signup_pwd_leak")?.outcome, "failure");
  assert.equal(resultOf("signup_pwd_leak"), "failure");
  assert.equal(resultOf("limit_wc"), "failure");
  assert.equal(resultOf("w"), null);
  assert.equal(resultOf("gd_start_auth"), null);
  // Codes the table does not know keep Auth0's naming habit.
  assert.equal(resultOf("fzz_new"), "failure");
  assert.equal(resultOf("szz_new"), "success");
  assert.equal(resultOf("zz_new"), null);
});

test("every block and rate-limit type, and every breached password, is critical by default", () => {
  const blocks = Object.keys(AUTH0_LOG_TYPE_TABLE).filter((code) => AUTH0_LOG_TYPE_TABLE[code]!.topic === "block").sort();
  for (const code of ["api_limit", "gd_otp_rate_limit_exceed", "gd_recovery_rate_limit_exceed", "limit_delegation", "limit_mu", "limit_phone", "limit_sul", "limit_wc"]) {
    assert.ok(blocks.includes(code), `${code} is a block or rate limit`);
  }
  const breached = Object.keys(AUTH0_LOG_TYPE_TABLE).filter((code) => AUTH0_LOG_TYPE_TABLE[code]!.topic === "breached-password").sort();
  assert.deepEqual(breached, ["pwd_leak", "reset_pwd_leak", "signup_pwd_leak"]);
  for (const code of [...blocks, ...breached]) {
    assert.equal(AUTH0_LOG_TYPE_TABLE[code]!.critical, true, code);
    assert.equal(flagsOf(code).isCritical, true, `${code} is critical under the default settings`);
  }
});

test("AUTH0_CRITICAL_TYPES defaults to the table's critical types, and setting it replaces them", () => {
  const critical = Object.keys(AUTH0_LOG_TYPE_TABLE).filter((code) => AUTH0_LOG_TYPE_TABLE[code]!.critical);
  assert.deepEqual([...defaults.auth0CriticalTypes], critical);
  for (const code of ["mgmt_api_read", "gd_unenroll", "gd_tenant_update", "sdu", "du"]) assert.ok(critical.includes(code), code);
  const narrowed = loadConfig({ AUTH0_CRITICAL_TYPES: "limit_wc" });
  assert.equal(flagsOf("limit_wc", narrowed).isCritical, true);
  assert.equal(flagsOf("limit_phone", narrowed).isCritical, false);
});

test("no log type is an export by itself; a users-export job is one, with or without /api", () => {
  assert.deepEqual(Object.keys(AUTH0_LOG_TYPE_TABLE).filter((code) => AUTH0_LOG_TYPE_TABLE[code]!.export), []);
  for (const path of ["/api/v2/jobs/users-exports", "/v2/jobs/users-exports"]) {
    const raw = { type: "sapi", details: { request: { method: "POST", path } } } as JsonObject;
    assert.equal(auth0.classify({ action: "sapi", level: null, result: null, raw }, defaults).isExport, true, path);
  }
});

test("an unknown type code is stored with its code as action, described by nothing (the report shows the code), and flagged nothing", () => {
  const record = { date: "2026-10-01T00:00:00.000Z", type: "zz_future_type", description: "<b>from the log</b>", log_id: "90020261001000000000000000000000000000000000000000000099", user_name: "alice@example.com" };
  const result = normalizeAuth0Event(record, "example.auth0.com", "record 1", defaults);
  assert.ok(result.ok);
  assert.equal(result.event.action, "zz_future_type");
  assert.equal(result.event.externalId, record.log_id);
  assert.equal(result.event.result, null);
  assert.deepEqual([result.event.isLogin, result.event.isFailedLogin, result.event.isCritical, result.event.isExport], [false, false, false, false]);
  const event: ClassifiableEvent = { action: result.event.action, level: null, result: null, raw: result.event.raw };
  assert.equal(auth0.describe!(event), null, "no words: the report falls back to the action as stored");
  assert.equal(auth0.severityOf!(event, defaults), null);
});
