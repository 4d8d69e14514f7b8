import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";
import {
  USERS_EXPORT_PATH, buildOrganisation, generateAuth0Events, generateDataset, writeAuth0JsonArray, writeAuth0Ndjson,
  writeAuth0StreamFiles, type Auth0LogEvent, type EventBridgeEnvelope,
} from "../../src/tools/generator/index.ts";
import { parseConcatenatedJson } from "./generator-helpers.ts";

const org = buildOrganisation({ seed: 31 });
const events = generateAuth0Events(org, { from: "2026-09-01", to: "2026-10-31" });

function assertIdsIncreasing(list: readonly Auth0LogEvent[]): void {
  let previous = -1n;
  let previousDate = "";
  for (const e of list) {
    assert.match(e.log_id, /^\d{56}$/);
    const id = BigInt(e.log_id);
    assert.ok(id > previous, `log_id ${e.log_id} not above ${previous}`);
    assert.ok(e.date >= previousDate, `date ${e.date} before ${previousDate}`);
    previous = id;
    previousDate = e.date;
  }
}

test("volumes: about 2,400 events over two months by default, exact totals when asked", () => {
  assert.equal(events.length, 40 * 61);
  assert.equal(generateAuth0Events(org, { from: "2026-09-01", to: "2026-09-30", total: 777 }).length, 777);
  assert.equal(generateAuth0Events(org, { from: "2026-09-01", to: "2026-09-02", perDay: 3 }).length, 6);
});

test("log ids are 56 digits and strictly increasing in time order", () => {
  assertIdsIncreasing(events);
});

test("events carry Auth0's fields with the documented shapes", () => {
  for (const e of events) {
    assert.match(e.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(typeof e.type, "string");
    assert.equal(typeof e.description, "string");
    assert.equal(typeof e.ip, "string");
    assert.equal(typeof e.user_agent, "string");
    assert.equal(e.hostname, "example-corp.jp.auth0.com");
    assert.equal(e.tenant_name, "example-corp");
    assert.equal(typeof e.isMobile, "boolean");
    assert.ok("client_id" in e, `${e.type} has client_id`);
  }
  const types = new Set(events.map((e) => e.type));
  for (const t of ["s", "ssa", "seacft", "seccft", "sapi", "slo", "fp", "fu", "scoa", "mgmt_api_read"]) assert.ok(types.has(t), `type ${t}`);
  assert.ok([...types].some((t) => t.startsWith("gd_")));

  const logins = events.filter((e) => e.type === "s");
  assert.ok(logins.length > 300);
  for (const e of logins) {
    assert.match(String(e.user_id), /^(auth0|google-oauth2)\|/);
    assert.match(String(e.user_name), /@example\.co\.jp$/);
    const details = e.details as { prompts: unknown[]; session_id: string; stats: { loginsCount: number } };
    assert.ok(Array.isArray(details.prompts) && details.prompts.length >= 2);
    assert.equal(typeof details.session_id, "string");
    assert.ok(typeof e.connection === "string" && typeof e.connection_id === "string" && typeof e.strategy === "string");
  }
  assert.ok(logins.filter((e) => String(e.user_id).startsWith("auth0|")).length > logins.length / 2);
  const parsedForm = events.filter((e) => /^[A-Za-z ]+ \d+\.\d+\.\d+ \/ [A-Za-z ]+ [\d.]+$/.test(String(e.user_agent)));
  assert.ok(parsedForm.length > events.length * 0.6, "mostly parsed user agents");
  assert.ok(events.some((e) => String(e.user_agent).startsWith("Mozilla/5.0")), "some raw user agents");

  const sapi = events.filter((e) => e.type === "sapi");
  for (const e of sapi) {
    const request = (e.details as { request: { method: string; path: string; channel: string; auth: object } }).request;
    assert.match(request.method, /^(get|post|patch|put|delete)$/);
    assert.match(request.path, /^\/api\/v2\//);
    assert.equal(typeof request.channel, "string");
    assert.equal(typeof request.auth, "object");
  }
  assert.ok(sapi.some((e) => (e.details as { request: { path: string } }).request.path === USERS_EXPORT_PATH), "users-export jobs");
  assert.ok(sapi.some((e) => /\/(tenants\/settings|attack-protection|clients|connections)/.test((e.details as { request: { path: string } }).request.path)), "critical writes");

  const m2m = events.filter((e) => e.type === "seccft");
  assert.ok(m2m.some((e) => typeof e.scope === "string") && m2m.some((e) => Array.isArray(e.scope)), "scope as string and as array");
  assert.ok(m2m.every((e) => e.ip === org.integration.ip && typeof e.audience === "string"));
  for (const e of m2m) {
    const hour = new Date(Date.parse(e.date) + 9 * 3600_000).getUTCHours();
    assert.ok(hour >= 1 && hour < 3, `nightly sync at ${e.date}`);
  }
});

test("stream files: Firehose keys, envelopes concatenated with no delimiter, detail.data complete", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kansa-auth0-"));
  try {
    const data = generateDataset({ seed: 8, from: "2026-10-01", to: "2026-10-10", consolePerDay: 20, auth0PerDay: 40, people: 30, hostile: true });
    const written = await writeAuth0StreamFiles(data.auth0Events, dir, { tenant: data.organisation.auth0Tenant, awsAccount: data.organisation.awsAccount });
    assert.equal(written.events, data.auth0Events.length);
    const all: EventBridgeEnvelope[] = [];
    let multi = 0;
    for (const path of written.files) {
      const key = relative(dir, path);
      const m = /^(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/auth0-logs-1-(\d{4})-(\d{2})-(\d{2})-(\d{2})-\d{2}-\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.exec(key);
      assert.ok(m, key);
      assert.deepEqual(m.slice(1, 5), m.slice(5, 9), "folder is the file's hour");
      const text = await readFile(path, "utf8");
      assert.ok(!text.includes("}\n{") && !text.endsWith("\n"), "no delimiter between envelopes");
      const envelopes = parseConcatenatedJson(text) as EventBridgeEnvelope[];
      // Two or more envelopes back to back are not one JSON document.
      if (envelopes.length > 1) {
        assert.throws(() => JSON.parse(text), SyntaxError);
        multi++;
      }
      for (const envelope of envelopes) {
        assert.equal(envelope["detail-type"], "Auth0 log");
        assert.match(envelope.source, /^aws\.partner\/auth0\.com\/example-corp-[0-9a-f-]{36}\/auth0\.logs$/);
        assert.equal(envelope.account, data.organisation.awsAccount);
        assert.match(envelope.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        assert.ok(Date.parse(envelope.time) >= Date.parse(envelope.detail.data.date) - 1000, "arrives after the event");
        assert.equal(key.slice(0, 13), envelopes[0]!.time.slice(0, 13).replace(/[-T]/g, "/"), "file lies in its first arrival's hour");
        assert.equal(envelope.detail.log_id, envelope.detail.data.log_id);
        for (const field of ["date", "type", "description", "ip", "user_agent", "hostname", "log_id"]) assert.ok(field in envelope.detail.data, field);
      }
      all.push(...envelopes);
    }
    assert.ok(multi > 0, "some files hold several envelopes");
    assert.equal(all.length, data.auth0Events.length);
    assert.deepEqual(all.map((e) => e.detail.data), data.auth0Events);
    assertIdsIncreasing(all.map((e) => e.detail.data));
    assert.ok(all.some((e) => e.detail.data.ip === "xx.xxx.xxx.xx"), "masked address from the hostile set");
    assert.ok(all.some((e) => e.detail.data.client_id === null), "client_id null from the hostile set");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("NDJSON and JSON array writers give the events back", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kansa-auth0-"));
  try {
    const sample = events.slice(0, 300);
    const nd = await writeAuth0Ndjson(sample, join(dir, "a", "events.ndjson"));
    const text = await readFile(join(dir, "a", "events.ndjson"), "utf8");
    assert.equal(nd.events, 300);
    assert.deepEqual(text.trimEnd().split("\n").map((l) => JSON.parse(l)), sample);
    const arr = await writeAuth0JsonArray(sample, join(dir, "events.json"));
    assert.equal(arr.events, 300);
    assert.deepEqual(JSON.parse(await readFile(join(dir, "events.json"), "utf8")), sample);
    await writeAuth0JsonArray([], join(dir, "empty.json"));
    assert.deepEqual(JSON.parse(await readFile(join(dir, "empty.json"), "utf8")), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
