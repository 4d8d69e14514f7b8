import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ANOMALY_KINDS, NEVER_DONE, ROUTINE_KINDS, generateDataset, labelKeyForAuth0, labelKeyForConsole, type AnomalyLabel,
  type Auth0LogEvent, type GeneratedConsoleRow,
} from "../../src/tools/generator/index.ts";
import { minuteOfDay } from "./generator-helpers.ts";

const options = { seed: 9, from: "2026-09-01", to: "2026-10-31", consolePerDay: 600, auth0PerDay: 30 } as const;
const base = generateDataset(options);
const data = generateDataset({ ...options, anomalies: true });
const org = data.organisation;

const rowsByKey = new Map<string, GeneratedConsoleRow[]>();
for (const row of data.consoleRows) {
  const key = labelKeyForConsole(row.cells);
  rowsByKey.set(key, [...(rowsByKey.get(key) ?? []), row]);
}
const eventsByKey = new Map<string, Auth0LogEvent>(data.auth0Events.map((e) => [labelKeyForAuth0(e), e]));
const labelled = new Set(data.labels.map((l) => l.key));
const ordinaryRows = data.consoleRows.filter((r) => !labelled.has(labelKeyForConsole(r.cells)));
const ordinaryEvents = data.auth0Events.filter((e) => !labelled.has(labelKeyForAuth0(e)));
const of = (kind: string): AnomalyLabel[] => data.labels.filter((l) => l.kind === kind);
const net24 = (ip: string): string => ip.split(".").slice(0, 3).join(".");

test("every anomaly and routine kind is present and labelled; ordinary volumes are unchanged", () => {
  for (const kind of [...ANOMALY_KINDS, ...ROUTINE_KINDS]) assert.ok(of(kind).length > 0, kind);
  for (const label of data.labels) {
    assert.equal(label.anomalous, (ANOMALY_KINDS as readonly string[]).includes(label.kind));
    assert.ok(label.description.length > 10);
    assert.ok(label.occurredAt >= "2026-09-30T15:00:00.000Z" && label.occurredAt < "2026-10-31T15:00:00.000Z", `${label.kind} ${label.occurredAt} in the last month`);
  }
  assert.equal(data.consoleRows.length, base.consoleRows.length + data.labels.filter((l) => l.source === "kintone").length);
  assert.equal(data.auth0Events.length, base.auth0Events.length + data.labels.filter((l) => l.source === "auth0").length);
  assert.equal(new Set(data.labels.map((l) => l.key)).size, data.labels.length, "label keys are unique");
});

test("each label names exactly one event, with the label's account, action and address", () => {
  for (const label of data.labels) {
    if (label.source === "kintone") {
      const rows = rowsByKey.get(label.key) ?? [];
      assert.equal(rows.length, 1, label.key);
      const c = rows[0]!.cells;
      assert.deepEqual([c.User, c.Action, c["IP Address"]], [label.account, label.action, label.ip]);
      assert.equal(new Date(rows[0]!.time).toISOString(), label.occurredAt);
      assert.equal(label.externalId, null);
    } else {
      const event = eventsByKey.get(label.key);
      assert.ok(event, label.key);
      assert.equal(label.externalId, event.log_id);
      assert.equal(event.type, label.action);
      assert.equal(event.ip, label.ip);
      assert.equal(event.date, label.occurredAt);
    }
  }
});

test("injection keeps existing log ids and keeps all ids strictly increasing", () => {
  const ids = new Set(data.auth0Events.map((e) => e.log_id));
  for (const e of base.auth0Events) assert.ok(ids.has(e.log_id));
  for (let i = 1; i < data.auth0Events.length; i++) {
    assert.match(data.auth0Events[i]!.log_id, /^\d{56}$/);
    assert.ok(BigInt(data.auth0Events[i]!.log_id) > BigInt(data.auth0Events[i - 1]!.log_id));
    assert.ok(data.auth0Events[i]!.date >= data.auth0Events[i - 1]!.date);
  }
  for (let i = 1; i < data.consoleRows.length; i++) assert.ok(data.consoleRows[i - 1]!.time >= data.consoleRows[i]!.time);
});

test("new addresses are new for the account, some numerically next to the office range; new /24s are new for everyone", () => {
  for (const label of of("new-address")) {
    if (label.source === "kintone") assert.ok(!ordinaryRows.some((r) => r.cells.User === label.account && r.cells["IP Address"] === label.ip), label.ip);
    else assert.ok(!ordinaryEvents.some((e) => e.user_name === label.account && e.ip === label.ip), label.ip);
  }
  assert.ok(of("new-address").some((l) => /^(203\.0\.114|198\.51\.101)\./.test(l.ip)), "one close to the office range");
  const nets = new Set([...ordinaryRows.map((r) => net24(r.cells["IP Address"])), ...ordinaryEvents.map((e) => net24(String(e.ip)))]);
  for (const label of [...of("new-slash24"), ...of("machine-credentials-new-address")]) assert.ok(!nets.has(net24(label.ip)), label.ip);
});

test("unusual hours are far outside the account's usual window", () => {
  for (const label of of("unusual-hour")) {
    const person = org.people.find((p) => p.login === label.account || p.email === label.account)!;
    assert.notEqual(person.pattern, "shift");
    const local = new Date(Date.parse(label.occurredAt) + 9 * 3600_000);
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
    assert.ok(minute < person.startMinute - 240 || minute > person.endMinute + 240, `${label.account} at ${minute} (usual ${person.startMinute}-${person.endMinute})`);
    const usual = ordinaryRows.filter((r) => r.cells.User === person.login && r.cells.Action === "login").map((r) => minuteOfDay(r.cells.Date));
    assert.ok(usual.every((m) => Math.abs(m - minute) > 120), "no ordinary login of theirs near that time");
  }
});

test("never-done actions, unused apps and unknown accounts really are new", () => {
  for (const label of of("new-action-for-account")) {
    if (label.source === "kintone") {
      assert.ok(!ordinaryRows.some((r) => r.cells.User === label.account && r.cells.Action === label.action), `${label.account} ${label.action}`);
      assert.ok(ordinaryRows.some((r) => r.cells.Action === label.action), `others do ${label.action}`);
    } else {
      assert.ok(!ordinaryEvents.some((e) => e.user_name === label.account && e.type === label.action));
      assert.ok(ordinaryEvents.some((e) => e.type === label.action));
    }
  }
  for (const label of of("new-action-global")) {
    if (label.source === "kintone") {
      assert.ok(NEVER_DONE.some((a) => a.action === label.action));
      assert.ok(!ordinaryRows.some((r) => r.cells.Action === label.action));
    } else assert.ok(!ordinaryEvents.some((e) => e.type === label.action), label.action);
  }
  for (const label of of("new-app-for-account")) {
    const row = rowsByKey.get(label.key)![0]!;
    const app = /app id: (\d+)/.exec(row.cells.Complement)![1];
    assert.ok(!ordinaryRows.some((r) => r.cells.User === label.account && r.cells.Complement.startsWith(`app id: ${app},`)), `${label.account} app ${app}`);
    assert.ok(ordinaryRows.some((r) => r.cells.Complement.startsWith(`app id: ${app},`)), `others use app ${app}`);
  }
  for (const label of of("unknown-account")) {
    assert.ok(!ordinaryRows.some((r) => r.cells.User === label.account) && !ordinaryEvents.some((e) => e.user_name === label.account), label.account);
  }
});

test("mass downloads are bursts within minutes; failed-then-succeeded ends in a success from the same new address", () => {
  const bursts = new Map<number, AnomalyLabel[]>();
  for (const l of of("mass-download")) bursts.set(l.incident, [...(bursts.get(l.incident) ?? []), l]);
  assert.ok(bursts.size >= 1);
  for (const burst of bursts.values()) {
    assert.ok(burst.length >= 40);
    assert.equal(new Set(burst.map((l) => l.account)).size, 1);
    const times = burst.map((l) => Date.parse(l.occurredAt));
    assert.ok(Math.max(...times) - Math.min(...times) <= 6 * 60_000);
    assert.ok(burst.every((l) => l.action === "Record file download" || l.action === "Record export"));
  }
  const incidents = new Map<number, AnomalyLabel[]>();
  for (const l of of("failed-then-succeeded")) incidents.set(l.incident, [...(incidents.get(l.incident) ?? []), l]);
  const sources = new Set<string>();
  for (const list of incidents.values()) {
    const sorted = [...list].sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1));
    const last = sorted[sorted.length - 1]!;
    sources.add(last.source);
    assert.ok(sorted.length >= 4);
    assert.equal(new Set(sorted.map((l) => l.ip)).size, 1);
    if (last.source === "auth0") {
      assert.equal(last.action, "s");
      assert.ok(sorted.slice(0, -1).every((l) => l.action === "fp" || l.action === "f"));
      assert.ok(!ordinaryEvents.some((e) => e.user_name === last.account && e.ip === last.ip));
    } else {
      assert.ok(sorted.every((l) => l.action === "login"));
      const results = sorted.map((l) => rowsByKey.get(l.key)![0]!.cells.Result);
      assert.deepEqual(results, [...results.slice(0, -1).map(() => "FAILED"), "SUCCESS"]);
    }
    assert.ok(Date.parse(last.occurredAt) - Date.parse(sorted[0]!.occurredAt) < 10 * 60_000);
  }
  assert.deepEqual([...sources].sort(), ["auth0", "kintone"]);
  for (const label of of("machine-credentials-new-address")) {
    const event = eventsByKey.get(label.key)!;
    assert.equal(event.type, "seccft");
    assert.equal(event.client_id, org.auth0Clients[org.integration.auth0Client]!.id);
    assert.notEqual(event.ip, org.integration.ip);
  }
});

test("routine events look like the baseline: admins' Notice work, exporters' exports, the nightly sync", () => {
  const admins = new Set(org.people.filter((p) => p.role === "admin").flatMap((p) => [p.login, p.email]));
  for (const label of of("routine-admin")) {
    assert.ok(admins.has(label.account));
    if (label.source === "kintone") {
      assert.equal(rowsByKey.get(label.key)![0]!.cells.Level, "重要");
      assert.ok(ordinaryRows.some((r) => r.cells.User === label.account && r.cells.Action === label.action && r.cells["IP Address"] === label.ip), `${label.account} did ${label.action} from ${label.ip} before`);
    }
  }
  for (const label of of("routine-export")) {
    assert.ok(ordinaryRows.some((r) => r.cells.User === label.account && r.cells.Action === label.action), `${label.account} ${label.action}`);
  }
  for (const label of of("nightly-integration")) {
    assert.equal(label.ip, org.integration.ip);
    const local = new Date(Date.parse(label.occurredAt) + 9 * 3600_000);
    assert.ok(local.getUTCHours() >= 1 && local.getUTCHours() < 3);
  }
});

test("anomaly options: kinds, counts and window are honoured", () => {
  const small = generateDataset({ seed: 2, from: "2026-09-01", to: "2026-10-15", consolePerDay: 200, auth0PerDay: 10, people: 30, anomalies: { kinds: ["unknown-account", "mass-download"], perKind: 2, burstSize: 10, routinePerKind: 0, from: "2026-10-10", to: "2026-10-12" } });
  assert.deepEqual([...new Set(small.labels.map((l) => l.kind))].sort(), ["mass-download", "unknown-account"]);
  assert.equal(small.labels.filter((l) => l.kind === "mass-download").length, 20);
  assert.equal(small.labels.filter((l) => l.kind === "unknown-account").length, 2);
  for (const l of small.labels) assert.ok(l.occurredAt >= "2026-10-09T15:00:00.000Z" && l.occurredAt < "2026-10-12T15:00:00.000Z", l.occurredAt);
});
