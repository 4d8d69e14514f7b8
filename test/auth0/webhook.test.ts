/**
 * What an Auth0 custom-webhook log stream posts (https://auth0.com/docs/customize/log-streams/custom-log-streams:
 * "Content Format: JSON lines, arrays, or objects"), each log a `{ "log_id": …, "data": { …event… } }`
 * object, imported like the EventBridge envelope. The fixtures (test/fixtures/auth0/webhook-*) hold
 * the same five events in both webhook forms and in EventBridge envelopes, written by hand in the
 * fields Auth0's log schemas give each type.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuditEvent } from "../../src/core/types.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { readFiles, type FileItem } from "../../src/sources/files/index.ts";
import { normalizeBatch } from "../../src/normalize/index.ts";
import { definitionOf, fileFormats } from "../../src/sources/registry.ts";
import { webhookEvent } from "../../src/sources/auth0/envelope.ts";

const config = loadConfig({});
const JSON_LINES = "test/fixtures/auth0/webhook-jsonlines.ndjson";
const ARRAY = "test/fixtures/auth0/webhook-array.json";
const EVENTBRIDGE = "test/fixtures/auth0/webhook-events-eventbridge";

async function read(file: string): Promise<{ events: AuditEvent[]; detail: string; rejected: number }> {
  const items: FileItem[] = [];
  for await (const item of readFiles([file], { formats: fileFormats(), config: {}, batchSize: 100 })) items.push(item);
  const events: AuditEvent[] = [];
  let rejected = 0;
  for (const item of items) {
    if (item.kind !== "batch") continue;
    rejected += item.rejections.length;
    const normalized = normalizeBatch(item.batch, definitionOf(item.batch).normalize, config);
    events.push(...normalized.events);
    rejected += normalized.rejections.length;
  }
  const end = items.find((item) => item.kind === "file-end");
  return { events, detail: end?.kind === "file-end" ? end.detail : "", rejected };
}

/** What identifies and classifies an event, for comparing two imports. */
function essentials(event: AuditEvent) {
  const { source, tenant, externalId, occurredAt, account, action, ip, appId, result, isLogin, isFailedLogin, isCritical, isExport } = event;
  return { source, tenant, externalId, occurredAt: occurredAt.toISOString(), account, action, ip, appId, result, isLogin, isFailedLogin, isCritical, isExport };
}

test("JSON lines of webhook payloads: each event is `data`, named and classified as Auth0 documents it", async () => {
  const { events, detail, rejected } = await read(JSON_LINES);
  assert.equal(rejected, 0);
  assert.equal(detail, "Auth0 custom-webhook log stream (JSON lines), 5 values");
  assert.deepEqual(events.map((e) => [e.action, e.externalId.slice(-2), e.result]), [
    ["s", "01", "success"],
    ["ssa", "02", "success"],
    ["limit_wc", "03", "failure"],
    ["sapi", "04", "success"],
    ["zz_new_type", "05", null],
  ]);
  const [login, silent, block, write, unknown] = events;
  assert.equal(login!.isLogin, true);
  assert.equal(login!.account, "alice@example.com");
  assert.equal(login!.occurredAt.toISOString(), "2026-10-01T00:15:02.418Z");
  assert.equal(login!.tenant, "auth0", "the tenant comes from the settings, never from the events' hostname");
  assert.equal(silent!.isLogin, false, "silent authentication is not a login");
  assert.equal(block!.isCritical, true, "a block is critical");
  assert.equal(write!.isCritical, true, "an attack-protection write logged as /v2/… is critical");
  assert.equal((write!.raw as { details: { request: { path: string } } }).details.request.path, "/v2/attack-protection/brute-force-protection", "raw is the event, kept whole");
  assert.deepEqual([unknown!.isLogin, unknown!.isCritical], [false, false]);
});

test("a JSON array of the same payloads, and the same events in EventBridge envelopes, give the same events and ids", async () => {
  const lines = (await read(JSON_LINES)).events.map(essentials);
  const array = await read(ARRAY);
  assert.equal(array.detail, "Auth0 custom-webhook log stream (JSON array), 5 values");
  assert.deepEqual(array.events.map(essentials), lines);
  const eventBridge = await read(EVENTBRIDGE);
  assert.equal(eventBridge.detail, "Auth0 log stream (EventBridge envelopes), 5 values");
  assert.deepEqual(eventBridge.events.map(essentials), lines);
});

test("a webhook envelope is `log_id` with `data`; a bare event that happens to carry `data` stays itself", () => {
  assert.deepEqual(webhookEvent({ log_id: "1", data: { type: "s" } }), { type: "s" });
  assert.equal(webhookEvent({ log_id: "1", type: "s", date: "2026-10-01T00:00:00Z", data: { x: 1 } }), null);
  assert.equal(webhookEvent({ data: { type: "s" } }), null, "no log_id: not an envelope");
  assert.equal(webhookEvent({ log_id: "1", data: "text" }), null);
  assert.equal(webhookEvent([{ log_id: "1", data: {} }]), null);
});

test("kansa import stores webhook payloads once: the array after the JSON lines adds nothing", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "kansa-webhook-"));
  try {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, KANSA_DATA_DIR: dataDir, LOG_LEVEL: "error" };
    const kansa = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { env, encoding: "utf8", timeout: 180_000 });
    const first = kansa("import", JSON_LINES, "--json");
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout).total, { files: 1, unreadable: 0, read: 5, stored: 5, duplicates: 0, rejected: 0 });
    const second = kansa("import", ARRAY, EVENTBRIDGE, "--json");
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout).total, { files: 2, unreadable: 0, read: 10, stored: 0, duplicates: 10, rejected: 0 });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
