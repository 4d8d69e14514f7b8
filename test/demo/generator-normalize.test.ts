/**
 * Contract between the generator and the rest of kansa: generated files read back through the
 * real console CSV reader and the normalisers without a single rejection, and every label finds
 * its normalised event (console rows by `labelKeyForConsole(event.raw)`, Auth0 by externalId).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AuditEvent } from "../../src/core/types.ts";
import { rowRecords, type ConsoleRow } from "../../src/sources/kintone/console-csv/read-console-csv.ts";
import { encodeConsoleCsv, generateDataset, labelKeyForConsole, toStreamFiles, USERS_EXPORT_PATH } from "../../src/tools/generator/index.ts";
import { normalizeBatch } from "../../src/normalize/index.ts";
import { normalizeAuth0Event } from "../../src/sources/auth0/normalize.ts";
import { kintone } from "../../src/sources/kintone/index.ts";
import { readConsoleCsv } from "../../src/sources/kintone/console-csv/index.ts";
import { defaultConfig } from "../helpers/options.ts";
import { parseConcatenatedJson } from "./generator-helpers.ts";

const data = generateDataset({ seed: 13, from: "2026-09-15", to: "2026-10-20", consolePerDay: 150, auth0PerDay: 25, people: 40, anomalies: { perKind: 4, routinePerKind: 6, burstSize: 12 }, hostile: true });
const options = defaultConfig("Asia/Tokyo");

test("the Shift-JIS console CSV reads and normalises without rejections; labels find their events", async () => {
  const rows: ConsoleRow[] = [];
  for await (const batch of readConsoleCsv(encodeConsoleCsv(data.consoleRows, { lang: "ja", encoding: "sjis" }), { origin: "generated.csv" })) {
    assert.deepEqual(batch.rejections, []);
    rows.push(...batch.rows);
  }
  assert.equal(rows.length, data.consoleRows.length);
  const { events, rejections } = normalizeBatch({ source: "kintone", records: rowRecords(rows), origin: "generated.csv", tenant: data.organisation.consoleHost }, kintone.normalize, options);
  assert.deepEqual(rejections, []);
  events.forEach((event, i) => {
    assert.equal(event.occurredAt.getTime(), Math.floor(data.consoleRows[i]!.time / 1000) * 1000, `row ${i}`);
  });
  const byKey = new Map<string, AuditEvent[]>();
  for (const event of events) {
    const key = labelKeyForConsole(event.raw as never);
    byKey.set(key, [...(byKey.get(key) ?? []), event]);
  }
  for (const label of data.labels.filter((l) => l.source === "kintone")) {
    const found = byKey.get(label.key) ?? [];
    assert.equal(found.length, 1, label.key);
    assert.equal(found[0]!.account, label.account);
    assert.equal(found[0]!.occurredAt.toISOString().slice(0, 19), label.occurredAt.slice(0, 19));
  }
  assert.equal(new Set(events.map((e) => e.externalId)).size, events.length, "external ids are distinct");
  assert.ok(events.some((e) => e.isExport) && events.some((e) => e.isLogin) && events.some((e) => e.isFailedLogin));
  const hostileApp = events.find((e) => e.appName === "<script>alert(1)</script>");
  assert.ok(hostileApp, "the hostile app name survives as given");
});

test("Auth0 stream files normalise without rejections; labels find their events by log id", () => {
  const events: AuditEvent[] = [];
  for (const file of toStreamFiles(data.auth0Events, { seed: 13 })) {
    parseConcatenatedJson(file.content).forEach((envelope, i) => {
      const result = normalizeAuth0Event(envelope, data.organisation.auth0Domain, `${file.key}#${i + 1}`, options, file.key);
      assert.ok(result.ok, JSON.stringify(result));
      events.push(result.event);
    });
  }
  assert.equal(events.length, data.auth0Events.length);
  const byId = new Map(events.map((e) => [e.externalId, e]));
  assert.equal(byId.size, events.length);
  for (const label of data.labels.filter((l) => l.source === "auth0")) {
    const event = byId.get(label.externalId!);
    assert.ok(event, label.key);
    assert.equal(event.action, label.action);
    assert.equal(event.account, label.account);
  }
  const exports = events.filter((e) => e.isExport);
  assert.ok(exports.length > 0 && exports.every((e) => JSON.stringify(e.raw).includes(USERS_EXPORT_PATH)));
  assert.ok(events.some((e) => e.isCritical));
  assert.ok(events.filter((e) => e.isLogin).length > 100);
});
