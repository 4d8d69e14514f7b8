import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeAuth0Event } from "../../src/sources/auth0/normalize.ts";
import { inspectJson, isWellFormedText, MAX_JSON_DEPTH, REPAIRED_KEY, toWellFormedText, wellFormedJson } from "../../src/normalize/json-safety.ts";
import { defaultConfig } from "../helpers/options.ts";

const options = defaultConfig();
const nested = (levels: number): unknown => JSON.parse(`${"[".repeat(levels)}${"]".repeat(levels)}`);

test("inspectJson: depth is counted without recursion, up to the bound and no further", () => {
  assert.deepEqual(inspectJson(nested(MAX_JSON_DEPTH)), { tooDeep: false, illFormed: false });
  assert.deepEqual(inspectJson(nested(MAX_JSON_DEPTH + 1)), { tooDeep: true, illFormed: false });
  assert.equal(inspectJson(nested(100_000)).tooDeep, true);
  assert.deepEqual(inspectJson({ a: [{ "k\udc00": 1 }] }), { tooDeep: false, illFormed: true });
  assert.deepEqual(inspectJson("x\ud800"), { tooDeep: false, illFormed: true });
});

test("lone surrogates become U+FFFD; pairs (emoji) are kept", () => {
  assert.equal(isWellFormedText("a\ud83d\ude00b"), true);
  assert.equal(isWellFormedText("a\ud800b"), false);
  assert.equal(isWellFormedText("\udc00a"), false);
  assert.equal(toWellFormedText("a\ud800b\udc00\ud83d\ude00\ud83d"), "a\ufffdb\ufffd\ud83d\ude00\ufffd");
  assert.deepEqual(wellFormedJson({ "k\ud800": ["v\udfff", 1, null, { x: true }] }), { "k\ufffd": ["v\ufffd", 1, null, { x: true }] });
});

test("an Auth0 event with a lone surrogate: repaired fields and raw, marked as repaired, serialisable without a \\ud escape", () => {
  const record = JSON.parse('{"date":"2026-11-01T08:00:00Z","type":"s","log_id":"sur1","user_name":"a\\ud800b","details":{"k\\udc00":"v"}}');
  const result = normalizeAuth0Event(record, "t.auth0.com", "record 1 (line 1)", options, "f.ndjson");
  assert.ok(result.ok);
  assert.equal(result.event.account, "a\ufffdb");
  assert.equal(result.event.raw.user_name, "a\ufffdb");
  assert.deepEqual(result.event.raw.details, { "k\ufffd": "v" });
  assert.equal(result.event.raw[REPAIRED_KEY], "lone UTF-16 surrogates replaced by U+FFFD");
  assert.doesNotMatch(JSON.stringify(result.event.raw), /\\ud[89a-f]/i);
  // A well-formed event is kept as it is, unmarked.
  const clean = normalizeAuth0Event({ date: "2026-11-01T08:00:00Z", type: "s", log_id: "ok1", user_name: "😀" }, "t", "record 2", options);
  assert.ok(clean.ok);
  assert.equal(REPAIRED_KEY in clean.event.raw, false);
});

test("an Auth0 event nested too deep, or with an id or tenant past its bound, is a rejection naming the bound", () => {
  const deep = normalizeAuth0Event({ date: "2026-11-01T08:00:00Z", log_id: "d1", details: nested(10_000) }, "t", "record 7 (line 7)", options, "f.ndjson");
  assert.deepEqual(deep, { ok: false, rejection: { origin: "f.ndjson", locator: "record 7 (line 7)", reason: "nested deeper than 64 levels (the bound for one record)" } });
  const longId = normalizeAuth0Event({ date: "2026-11-01T08:00:00Z", log_id: "9".repeat(1025) }, "t", "record 1", options);
  assert.ok(!longId.ok && /the id \(log_id\) is 1025 bytes long; at most 1024/.test(longId.rejection.reason));
  assert.ok(normalizeAuth0Event({ date: "2026-11-01T08:00:00Z", log_id: "9".repeat(1024) }, "t", "record 1", options).ok);
  const longTenant = normalizeAuth0Event({ date: "2026-11-01T08:00:00Z", log_id: "x" }, "h".repeat(256), "record 1", options);
  assert.ok(!longTenant.ok && /the tenant \(hostname\) is 256 bytes long; at most 255/.test(longTenant.rejection.reason));
});
