import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { normalizeBatch } from "../../src/normalize/index.ts";
import { auth0, normalizeAuth0Event } from "../../src/sources/auth0/index.ts";
import type { AuditEvent } from "../../src/core/types.ts";
import { defaultConfig } from "../helpers/options.ts";

const options = defaultConfig();

function ok(record: unknown, tenant = "example-corp.jp.auth0.com"): AuditEvent {
  const result = normalizeAuth0Event(record, tenant, "record 1", options, "f.json");
  if (!result.ok) assert.fail(`expected an event, got rejection: ${result.rejection.reason}`);
  return result.event;
}

const drift = readFileSync("test/fixtures/auth0/drift.ndjson", "utf8").trim().split("\n");
const driftRecord = (i: number): unknown => JSON.parse(drift[i]!);

test("seed 001: an EventBridge envelope of a successful login", () => {
  const envelope = JSON.parse(readFileSync("test/fixtures/auth0/seed-001-login-envelope.json", "utf8"));
  const e = ok(envelope, "classmethod-demo.auth0.com");
  assert.equal(e.source, "auth0");
  assert.equal(e.externalId, "90020191212155725426000495718238468680099562393941573746");
  assert.equal(e.occurredAt.toISOString(), "2019-12-12T15:57:22.903Z");
  assert.equal(e.account, "Yuki Suwa");
  assert.equal(e.action, "s");
  assert.equal(e.appId, "4hPgW4Y3AdCmPU0nDJHs9KDBLdbaEvZ0");
  assert.equal(e.appName, "All Applications");
  assert.equal(e.ip, "xx.xxx.xxx.xx");
  assert.equal(e.ipParsed, null);
  assert.equal(e.isLogin, true);
  assert.equal(e.isFailedLogin, false);
  assert.equal(e.result, "success");
  assert.equal(e.level, null);
  assert.match(e.userAgent, /^Mozilla\/5\.0 \(Macintosh/);
  // raw keeps the record whole, nested prompts included
  assert.deepEqual(e.raw, envelope);
});

test("seed 000: a client-credentials exchange with an empty user and a 2,600-character scope", () => {
  const envelope = JSON.parse(readFileSync("test/fixtures/auth0/seed-000-seccft-envelope.json", "utf8"));
  const e = ok(envelope);
  assert.equal(e.action, "seccft");
  assert.equal(e.account, "");
  assert.equal(e.externalId, "1111");
  assert.equal(e.ip, "0.0.0.0");
  assert.equal(e.ipParsed, "0.0.0.0");
  assert.equal(e.userAgent, "Go-http-client/2.0");
  assert.equal(e.isLogin, false);
  assert.equal(e.isCritical, false);
  assert.ok(((e.raw.detail as { data: { scope: string } }).data.scope).length > 2000);
});

test("seed 004 drift: scope as string or array, client_id null, unknown nested fields kept", () => {
  const a = ok(driftRecord(0));
  const b = ok(driftRecord(1));
  assert.equal(a.raw.scope, "openid profile email");
  assert.deepEqual(b.raw.scope, ["read:logs", "read:users"]);
  assert.equal(b.appId, null);
  assert.equal(b.appName, null);
  assert.deepEqual(b.raw.brand_new_field, { nested: [1, 2, { deep: true }] });
  assert.equal(b.ipParsed, "2001:db8::1");
});

test("seed 004 drift: date as {$date}, seconds, milliseconds, nanosecond string, ISO without zone, ISO with offset", () => {
  assert.equal(ok(driftRecord(2)).occurredAt.toISOString(), "2026-10-01T01:00:00.000Z");
  assert.equal(ok(driftRecord(3)).occurredAt.toISOString(), "2026-09-21T14:13:20.000Z");
  assert.equal(ok(driftRecord(4)).occurredAt.toISOString(), "2026-09-21T14:13:20.123Z");
  assert.equal(ok(driftRecord(5)).occurredAt.toISOString(), "2026-09-21T14:13:20.123Z");
  assert.equal(ok(driftRecord(6)).occurredAt.toISOString(), "2026-10-01T09:00:00.000Z");
  assert.equal(ok(driftRecord(7)).occurredAt.toISOString(), "2026-10-01T09:00:00.000Z");
});

test("failed logins, user_agent as an object, account falling back to user_id, hostile user_name kept", () => {
  const f = ok(driftRecord(2));
  assert.equal(f.isFailedLogin, true);
  assert.equal(f.isLogin, false);
  assert.equal(f.result, "failure");
  assert.equal(f.account, "auth0|0002");
  assert.equal(f.userAgent, "Firefox 119.0 / Mac OS X 14.1");
  assert.equal(f.ipParsed, "198.51.100.7");
  const fu = ok(driftRecord(3));
  assert.equal(fu.isFailedLogin, true);
  assert.equal(fu.account, "<script>alert(1)</script>");
  assert.equal(fu.ipParsed, null);
  assert.equal(ok(driftRecord(4)).isLogin, false); // ssa: silent authentication is not a login (Auth0 files it apart from "Login - Success")
  assert.equal(ok(driftRecord(5)).isLogin, true); // scoa
  assert.equal(ok(driftRecord(6)).isLogin, false); // slo
});

test("sapi writes to critical paths are critical; reads are not; a users-export job is an export", () => {
  const write = ok(driftRecord(7));
  assert.equal(write.isCritical, true);
  assert.equal(write.isExport, false);
  const exportJob = ok(driftRecord(8));
  assert.equal(exportJob.isExport, true);
  assert.equal(exportJob.isCritical, false);
  const read = ok(driftRecord(9));
  assert.equal(read.isCritical, false);
  const narrower = { ...options, auth0CriticalSapiPaths: ["/api/v2/roles"] };
  const r = normalizeAuth0Event(driftRecord(7), "t", "record 8", narrower);
  assert.ok(r.ok && r.event.isCritical === false);
});

test("critical types come from the options; ids fall back from log_id to _id to a stable hash", () => {
  const leak = ok(driftRecord(10));
  assert.equal(leak.isCritical, true);
  assert.equal(leak.externalId, "6519a0c0e4b0a1b2c3d4e5f6");
  assert.deepEqual(leak.raw.details, ["two", "typed"]);
  const noId = ok(driftRecord(11));
  assert.match(noId.externalId, /^sha256:[0-9a-f]{64}$/);
  // key order does not change the hash
  const reordered = Object.fromEntries(Object.entries(driftRecord(11) as object).reverse());
  assert.equal(ok(reordered).externalId, noId.externalId);
  const custom = normalizeAuth0Event(driftRecord(10), "t", "r", { ...options, auth0CriticalTypes: [] });
  assert.ok(custom.ok && !custom.event.isCritical);
});

test("records that cannot be normalised become rejections with origin, locator and reason", () => {
  const cases: [unknown, RegExp][] = [
    ["just a string", /not a JSON object but string/],
    [null, /null/],
    [[1, 2], /an array/],
    [{ type: "s", log_id: "1" }, /no `date` field/],
    [{ date: "not a time", type: "s" }, /is not a time/],
    [{ date: { nested: true }, type: "s" }, /is not a time/],
  ];
  for (const [record, reason] of cases) {
    const result = normalizeAuth0Event(record, "t", "record 7 (line 9)", options, "events.ndjson");
    assert.ok(!result.ok, JSON.stringify(record));
    assert.equal(result.rejection.origin, "events.ndjson");
    assert.equal(result.rejection.locator, "record 7 (line 9)");
    assert.match(result.rejection.reason, reason);
  }
});

test("normalizeBatch over the drift fixture: 13 events, the 3 records without object or time rejected", () => {
  const records = drift.flatMap((line, i) => {
    try {
      return [{ record: JSON.parse(line) as unknown, locator: `line ${i + 1}` }];
    } catch {
      return [];
    }
  });
  const { events, rejections } = normalizeBatch({ source: "auth0", records, origin: "drift.ndjson", tenant: "t" }, auth0.normalize, options);
  assert.equal(events.length, 13);
  assert.deepEqual(rejections.map((r) => r.locator), ["line 13", "line 14", "line 15"]);
  assert.ok(events.every((e) => e.source === "auth0" && e.tenant === "t"));
});
