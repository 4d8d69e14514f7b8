import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { readFiles, splitJsonValues, hostOf, type FileItem, type JsonValueItem } from "../../src/sources/files/index.ts";
import { auth0Tenant } from "../../src/sources/auth0/index.ts";
import { importedConsoleTenant as consoleTenant } from "../../src/sources/kintone/index.ts";
import { fileFormats } from "../../src/sources/registry.ts";
import type { Config } from "../../src/core/config.ts";

const SPLIT_NOTE = (n: number) => `; ${n} distinct hostnames, all stored under tenant "auth0": import each tenant's files with --tenant NAME to keep them apart`;

async function split(text: string | Buffer, chunk = 7): Promise<JsonValueItem[]> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const chunks = Readable.from((function* () {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  })());
  const out: JsonValueItem[] = [];
  for await (const item of splitJsonValues(chunks)) out.push(item);
  return out;
}

test("concatenated objects with no delimiter (Firehose), with record and line numbers", async () => {
  const items = await split('{"a":1,"s":"}{\\"x"}{"b":{"c":[1,{"d":"]"}]}}\n{"e":"日本語"}');
  assert.deepEqual(items.map((i) => (i.ok ? i.value : i.reason)), [{ a: 1, s: '}{"x' }, { b: { c: [1, { d: "]" }] } }, { e: "日本語" }]);
  assert.deepEqual(items.map((i) => [i.record, i.line]), [[1, 1], [2, 1], [3, 2]]);
});

test("NDJSON and a top-level array; a bad value is reported and the scan goes on", async () => {
  const nd = await split('{"a":1}\n{"b":2, oops}\n\n{"c":3}\n');
  assert.deepEqual(nd.map((i) => i.ok), [true, false, true]);
  assert.deepEqual(nd.map((i) => i.line), [1, 2, 4]);
  assert.match((nd[1] as { reason: string }).reason, /not valid JSON/);
  const array = await split('\uFEFF[\n {"a":1},\n {"b":[2,3]} ,\n "s", 4\n]\n');
  assert.deepEqual(array.map((i) => (i.ok ? i.value : null)), [{ a: 1 }, { b: [2, 3] }, "s", 4]);
  assert.deepEqual(array.map((i) => i.line), [2, 3, 4, 4]);
});

test("a truncated last value is a rejection, not a crash", async () => {
  const items = await split('{"a":1}{"b":');
  assert.equal(items.length, 2);
  assert.ok(!items[1]!.ok);
  assert.match((items[1] as { reason: string }).reason, /truncated/);
});

test("tenants: --tenant, then the source's settings, then the defaults", () => {
  assert.equal(consoleTenant({ override: "T" }), "T");
  assert.equal(consoleTenant({ kintoneTenant: "k", kintoneHostname: "x.cybozu.com" }), "k");
  assert.equal(consoleTenant({ kintoneHostname: "https://X.cybozu.com/k/" }), "x.cybozu.com");
  assert.equal(consoleTenant({}), "console");
  assert.equal(auth0Tenant({ auth0Domain: "example.eu.auth0.com" }), "example.eu.auth0.com");
  assert.equal(auth0Tenant({ auth0Tenant: "acme", auth0Domain: "example.eu.auth0.com" }), "acme");
  // Nothing set: one fixed name, never an event's hostname.
  assert.equal(auth0Tenant({}), "auth0");
  assert.equal(hostOf("http://127.0.0.1:8080/path"), "127.0.0.1:8080");
});

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "kansa-files-"));
  const hour = join(dir, "auth0", "2026", "10", "01", "00");
  mkdirSync(hour, { recursive: true });
  const envelopes = ["test/fixtures/auth0/seed-001-login-envelope.json", "test/fixtures/auth0/seed-000-seccft-envelope.json"]
    .map((p) => JSON.stringify(JSON.parse(readFileSync(p, "utf8"))));
  writeFileSync(join(hour, "auth0-logs-1-2026-10-01-00-00-00-abc"), envelopes.join(""));
  writeFileSync(join(hour, "auth0-logs-1-2026-10-01-00-30-00-def.gz"), gzipSync(envelopes.reverse().join("")));
  mkdirSync(join(dir, "console"));
  writeFileSync(join(dir, "console", "ja.csv"), readFileSync("test/fixtures/console/ja-bom.csv"));
  writeFileSync(join(dir, "console", "sjis.csv"), iconv.encode(readFileSync("test/fixtures/console/en.csv", "utf8"), "cp932"));
  writeFileSync(join(dir, "drift.ndjson"), readFileSync("test/fixtures/auth0/drift.ndjson"));
  writeFileSync(join(dir, "array.json"), JSON.stringify([{ date: "2026-10-01T00:00:00Z", type: "s", log_id: "1", hostname: "h.auth0.com" }]));
  writeFileSync(join(dir, "notes.txt"), "hello, world\n");
  writeFileSync(join(dir, ".DS_Store"), "junk");
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function collect(paths: string[], options: { batchSize?: number; tenant?: string; config?: Partial<Config> } = {}): Promise<FileItem[]> {
  const items: FileItem[] = [];
  for await (const item of readFiles(paths, { formats: fileFormats(), config: {}, ...options })) items.push(item);
  return items;
}

test("readFiles walks folders, detects each format, and yields batches with locators", async () => {
  const items = await collect([dir, join(dir, "missing.csv")], { batchSize: 4 });
  const ends = items.filter((i) => i.kind === "file-end").map((i) => [i.file.slice(dir.length + 1), i.detail]);
  assert.deepEqual(ends, [
    ["array.json", "JSON array of Auth0 events, 1 value"],
    ["auth0/2026/10/01/00/auth0-logs-1-2026-10-01-00-00-00-abc", `Auth0 log stream (EventBridge envelopes), 2 values${SPLIT_NOTE(2)}`],
    ["auth0/2026/10/01/00/auth0-logs-1-2026-10-01-00-30-00-def.gz", `Auth0 log stream (EventBridge envelopes), 2 values${SPLIT_NOTE(2)}, gzip`],
    ["console/ja.csv", "console CSV, UTF-8 with BOM"],
    ["console/sjis.csv", "console CSV, Shift-JIS"],
    ["drift.ndjson", `NDJSON of Auth0 events, 16 values${SPLIT_NOTE(2)}`],
  ]);
  const errors = items.filter((i) => i.kind === "file-error").map((i) => [i.file.slice(dir.length + 1) || i.file, i.reason]);
  assert.equal(errors.length, 2);
  assert.deepEqual(errors[0]![0], "notes.txt");
  assert.match(errors[0]![1]!, /not a recognised format/);
  assert.match(errors[1]![1]!, /no such file/);
  const batches = items.flatMap((i) => (i.kind === "batch" ? [i] : []));
  const stream = batches.find((b) => b.file.endsWith("abc"))!;
  assert.equal(stream.batch.source, "auth0");
  {
    // the bare event (detail.data), located by record and line; one tenant, whatever the events' hostnames
    assert.equal((stream.batch.records[0]!.record as { type: string }).type, "s");
    assert.equal(stream.batch.records[0]!.locator, "record 1 (line 1)");
    assert.deepEqual(batches.filter((b) => b.file.endsWith("abc")).map((b) => b.batch.tenant), ["auth0"]);
  }
  const sjisRows = batches.filter((b) => b.file.endsWith("sjis.csv")).reduce((n, b) => n + (b.batch.source === "kintone" ? b.batch.records.length : 0), 0);
  assert.equal(sjisRows, 7);
  assert.ok(batches.filter((b) => b.batch.source === "kintone").every((b) => b.batch.tenant === "console"));
  const driftRejections = batches.filter((b) => b.file.endsWith("drift.ndjson")).flatMap((b) => b.rejections);
  assert.deepEqual(driftRejections.map((r) => r.locator), ["record 16 (line 16)"]);
  const driftRead = batches.filter((b) => b.file.endsWith("drift.ndjson")).reduce((n, b) => n + b.read, 0);
  assert.equal(driftRead, 17);
});

test("--tenant wins for every file, and no file then mentions its hostnames", async () => {
  const items = await collect([dir], { tenant: "acme" });
  const tenants = new Set(items.flatMap((i) => (i.kind === "batch" ? [i.batch.tenant] : [])));
  assert.deepEqual([...tenants], ["acme"]);
  assert.ok(items.every((i) => i.kind !== "file-end" || !i.detail.includes("hostnames")));
});
