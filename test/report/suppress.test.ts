/**
 * The allow-list and acknowledgements turning findings into "expected": a rule matches a finding
 * only when it matches every event; an acknowledged id or fully acknowledged events make it
 * expected; the summary counts both. And KANSA_ALLOW_LIST's reading (file, inline JSON, errors).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Finding, FindingEvent } from "../../src/core/report-model.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { parseAllowList, type AllowRule } from "../../src/core/allow-list.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { suppressFindings, type AcknowledgementLike } from "../../src/report/suppress.ts";

let counter = 0;

function ev(fields: Partial<FindingEvent> = {}): FindingEvent {
  counter += 1;
  return {
    source: "kintone", tenant: "example.cybozu.com", externalId: `e${counter}`, occurredAt: "2026-11-10T10:00:00+09:00",
    account: "backup-bot", action: "Record export", ip: "203.0.113.10", appId: "12", appName: "顧客管理", level: null,
    flags: ["export"], ...fields,
  };
}

function finding(id: string, events: FindingEvent[]): Finding {
  const first = events[0] ?? ev();
  return {
    id, severity: "medium", kind: "export", source: first.source, tenant: first.tenant, account: first.account,
    accounts: [{ source: first.source, tenant: first.tenant, account: first.account }],
    from: first.occurredAt, to: (events.at(-1) ?? first).occurredAt, summary: "", reasons: [], reasonDetails: [],
    eventCount: events.length, actions: [], apps: [], addresses: [], events,
  };
}

const expectedOf = (rules: AllowRule[], f: Finding, acks: AcknowledgementLike[] = []) => suppressFindings([f], rules, acks).findings[0]!.expected;

test("an allow-list rule matches on account (any case), address or network, action and app (id or name)", () => {
  const f = finding("f1", [ev({ ip: "203.0.113.10" }), ev({ ip: "203.0.113.77" })]);
  assert.deepEqual(expectedOf([{ account: "Backup-Bot" }], f), { by: "allow-list", rule: "account=Backup-Bot" });
  assert.equal(expectedOf([{ ip: "203.0.113.0/24" }], f)?.by, "allow-list");
  assert.equal(expectedOf([{ ip: "203.0.113.0/25" }], f)?.by, "allow-list", "203.0.113.77 is inside 203.0.113.0/25");
  assert.equal(expectedOf([{ ip: "203.0.113.0/28" }], f), undefined, "203.0.113.77 is outside 203.0.113.0/28");
  assert.equal(expectedOf([{ ip: "203.0.113.10" }], finding("f2", [ev({ ip: "203.0.113.10" })]))?.by, "allow-list", "a single address");
  assert.equal(expectedOf([{ ip: "::ffff:203.0.113.0/120" }], f), undefined, "an IPv6 network does not hold IPv4 addresses");
  assert.equal(expectedOf([{ ip: "2001:db8::/32" }], finding("f3", [ev({ ip: "[2001:db8:1::5]:443" })]))?.by, "allow-list", "IPv6 with brackets and a port");
  assert.equal(expectedOf([{ action: "Record export" }], f)?.by, "allow-list");
  assert.equal(expectedOf([{ action: "record export" }], f), undefined, "actions match exactly");
  assert.equal(expectedOf([{ app: "12" }], f)?.by, "allow-list");
  assert.equal(expectedOf([{ app: "顧客管理" }], f)?.by, "allow-list");
  assert.equal(expectedOf([{ app: "13" }], f), undefined);
  assert.equal(expectedOf([{ source: "auth0" }], f), undefined);
  assert.equal(expectedOf([{ tenant: "example.cybozu.com", account: "backup-bot", note: "nightly backup" }], f)?.rule, "tenant=example.cybozu.com account=backup-bot (nightly backup)");
});

test("every field of a rule must match, and every event of the finding: a partial match is not expected", () => {
  const f = finding("f1", [ev(), ev({ account: "alice" })]);
  assert.equal(expectedOf([{ account: "backup-bot" }], f), undefined, "alice's event is not the backup account's");
  assert.equal(expectedOf([{ account: "backup-bot", ip: "198.51.100.0/24" }], finding("f2", [ev()])), undefined, "the address does not match");
  assert.equal(expectedOf([{ account: "backup-bot" }, { account: "alice" }], f), undefined, "two rules each matching part of it do not make it expected");
  assert.equal(expectedOf([{ account: "backup-bot" }], finding("empty", [])), undefined, "a finding without events is never matched");
  assert.equal(expectedOf([{ ip: "203.0.113.0/24" }], finding("f3", [ev({ ip: "" }), ev()])), undefined, "an event without an address is in no network");
});

test("an acknowledged id, or acknowledged events, make a finding expected; acknowledgement comes before the allow-list", () => {
  const at = new Date("2026-11-11T00:30:00Z");
  const a = ev();
  const b = ev();
  const acks: AcknowledgementLike[] = [{ findingId: "old-id", reason: "backup moved", createdAt: at, events: [a, b].map(({ source, tenant, externalId }) => ({ source, tenant, externalId })) }];
  assert.deepEqual(expectedOf([], finding("new-id", [a, b]), acks), { by: "ack", reason: "backup moved", at: at.toISOString() }, "same events under another id");
  assert.equal(expectedOf([], finding("new-id", [a, b, ev()]), acks), undefined, "one event not acknowledged");
  assert.equal(expectedOf([], finding("new-id", [{ ...a, tenant: "other.cybozu.com" }]), acks), undefined, "same externalId, other tenant");
  assert.equal(expectedOf([], finding("old-id", [ev()]), acks)?.by, "ack", "the id itself");
  assert.equal(expectedOf([{ account: "backup-bot" }], finding("old-id", [a]), acks)?.by, "ack");
});

test("the summary counts findings each way, the rules that matched, and lists the latest acknowledgements first", () => {
  const input = [
    finding("a", [ev()]),
    finding("b", [ev({ account: "nightly" })]),
    finding("c", [ev({ account: "nightly" })]),
    finding("d", [ev({ account: "alice", action: "Record view" })]),
    finding("e", [ev({ account: "alice", action: "Record view" })]),
  ];
  const acks: AcknowledgementLike[] = [
    { findingId: "a", reason: "first", createdAt: new Date("2026-11-01T00:00:00Z"), events: [] },
    { findingId: "e", reason: "second", createdAt: new Date("2026-11-11T00:00:00Z"), events: [] },
  ];
  const rules: AllowRule[] = [{ account: "carol" }, { account: "nightly", note: "batch" }, { action: "Record export" }];
  const before = structuredClone(input);
  const { findings, summary } = suppressFindings(input, rules, acks);
  assert.deepEqual(input, before, "the input is not modified");
  assert.deepEqual(findings.map((f) => f.id), ["a", "b", "c", "d", "e"], "every finding stays, in order");
  assert.deepEqual(findings.map((f) => f.expected?.by ?? null), ["ack", "allow-list", "allow-list", null, "ack"]);
  assert.equal(summary.acknowledged, 2);
  assert.equal(summary.allowListed, 2);
  assert.deepEqual(summary.rules, [{ rule: "account=nightly (batch)", findings: 2 }]);
  assert.deepEqual(summary.recentAcks?.map((a) => a.reason), ["second", "first"]);
  assert.deepEqual(suppressFindings([], [], []).summary, { allowListed: 0, acknowledged: 0, rules: [], recentAcks: [] });
});

test("KANSA_ALLOW_LIST is a file or inline JSON, read at config load; a bad rule names the variable, the rule and the field", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "kansa-allow-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "allow.json");
  writeFileSync(file, JSON.stringify([{ account: "backup-bot", ip: "203.0.113.0/24", note: "nightly" }]));
  assert.deepEqual(loadConfig({ KANSA_ALLOW_LIST: file }).allowList, [{ account: "backup-bot", ip: "203.0.113.0/24", note: "nightly" }]);
  assert.deepEqual(loadConfig({ KANSA_ALLOW_LIST: ' [{"action": "Record export"}] ' }).allowList, [{ action: "Record export" }]);
  assert.deepEqual(loadConfig({}).allowList, []);

  const refused = (value: string, pattern: RegExp) => {
    assert.throws(() => parseAllowList(value), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.code, "E_CONFIG");
      assert.match(error.message, /^KANSA_ALLOW_LIST /);
      assert.match(error.message, pattern);
      return true;
    });
  };
  refused('[{"account": "a"}, {"acount": "b"}]', /rule at index 1 has an unknown field "acount"/);
  refused('[{"ip": "203.0.113.0/33"}]', /rule at index 0: field "ip" must be an address or a network/);
  refused('[{"ip": "010.1.1.1"}]', /field "ip"/);
  refused('[{"account": 7}]', /rule at index 0: field "account" must be a non-empty string/);
  refused('[{"note": "everything"}]', /rule at index 0 must give at least one of/);
  refused('["alice"]', /rule at index 0 must be an object/);
  refused('[{"account": "a"},]', /must be a JSON array of rules/);
  refused('{"account": "a"}', /names the file/);
  refused(join(dir, "missing.json"), /cannot be read \(ENOENT\)/);
  writeFileSync(file, '{"account": "a"}');
  refused(file, /must be a JSON array of rules such as/);
  assert.throws(() => loadConfig({ KANSA_ALLOW_LIST: "[1]" }), ConfigError, "checked when the configuration is loaded");
});
