/**
 * Issue 25 on a real store: a month read in keyset pages (time, then id) gives the rows one query
 * gives, ties at the same instant across a page's edge included, and a baseline fitted from pages
 * of 37 events (about 40 pages and chunks) equals the one fitted from one page, on the embedded
 * database and on PostgreSQL.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ensureBaseline } from "../../src/detect/baseline-service.ts";
import { getFeatureSet } from "../../src/encode/registry.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { loadEncodingEvents, pagesOfEncodingEvents } from "../../src/store/event-queries.ts";
import { monthRange } from "../../src/core/calendar.ts";
import { readBaseline } from "../../src/store/baselines.ts";
import { event, officeMonth, openTestDatabase, store, testConfig } from "../report/fixtures.ts";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";

const scope = { source: "kintone", tenant: "example.cybozu.com" };
const range = monthRange("2026-10", "Asia/Tokyo");
let pg: TestPostgres | null = null;
after(async () => pg?.stop());

/** An office month, 30 events at one instant, and a burst of downloads across several pages. */
function month() {
  const tied = Array.from({ length: 30 }, (_, i) => event("2026-10-14T12:00:00", { account: `tie${i % 3}`, action: "Record view" }));
  const burst = Array.from({ length: 40 }, (_, i) => event(`2026-10-20T15:${String(10 + Math.floor(i / 6)).padStart(2, "0")}:${String((i * 9) % 60).padStart(2, "0")}`, { account: "bob", action: "Record file download" }));
  return [...officeMonth("2026-10", 40, 3), ...tied, ...burst];
}

async function check(db: Database): Promise<void> {
  await store(db, month());
  const whole = await loadEncodingEvents(db, scope, range);
  const paged = [];
  let pages = 0;
  for await (const page of pagesOfEncodingEvents(db, scope, range, undefined, 7)) {
    pages++;
    paged.push(...page);
  }
  assert.ok(pages > 100, `${pages} pages`);
  assert.deepEqual(paged, whole, "the same rows in the same order");

  const config = testConfig({ FEATURE_SET: "profile" });
  for (const name of ["profile", "classic"]) {
    const featureSet = getFeatureSet(name);
    const request = { scope, month: "2026-10", featureSet, refit: true, day: "2026-11-02" };
    const one = await ensureBaseline(db, config, request);
    const stored = await readBaseline(db, { ...scope, month: "2026-10", timezone: "Asia/Tokyo", featureSet: name });
    const chunked = await ensureBaseline(db, config, { ...request, chunkRows: 37 });
    const again = await readBaseline(db, { ...scope, month: "2026-10", timezone: "Asia/Tokyo", featureSet: name });
    assert.ok(one.available && chunked.available && stored && again);
    assert.equal(chunked.n, whole.length);
    assert.deepEqual(again.extra.state, stored.extra.state, `${name}: the same state`);
    assert.deepEqual(again.extra.hourly, stored.extra.hourly);
    assert.equal(again.extra.accounts, stored.extra.accounts);
    const d = stored.mean.length;
    for (let a = 0; a < d; a++) {
      assert.ok(Math.abs(again.mean[a]! - stored.mean[a]!) <= 1e-9 * Math.max(1, Math.abs(stored.mean[a]!)), `${name}: mean ${a}`);
      for (let b = 0; b < d; b++) {
        const scale = Math.sqrt(Math.abs(stored.covariance[a]![a]! * stored.covariance[b]![b]!));
        assert.ok(Math.abs(again.covariance[a]![b]! - stored.covariance[a]![b]!) <= 1e-9 * scale, `${name}: covariance ${a}×${b}`);
      }
    }
    assert.ok(Math.abs(chunked.threshold - one.threshold) <= 1e-9 * one.threshold, `${name}: threshold ${chunked.threshold} vs ${one.threshold}`);
    const tail = (x: typeof one) => x.distances!.tail;
    assert.equal(tail(chunked).length, tail(one).length);
    tail(one).forEach((v, i) => assert.ok(Math.abs(tail(chunked)[i]! - v) <= 1e-9 * Math.max(v, 1e-12), `${name}: distance ${i}`));
  }
}

test("embedded database: keyset pages and a baseline fitted from 37-event pages", async () => {
  const db = await openTestDatabase();
  try {
    await check(db);
  } finally {
    await db.close();
  }
});

test("PostgreSQL: keyset pages and a baseline fitted from 37-event pages", { skip: postgresTestSkip() }, async () => {
  pg = await startPostgres();
  assert.ok(pg);
  const db = await openDatabase({ databaseUrl: await pg.createDatabase(), dataDir: "" });
  try {
    await migrateDatabase(db);
    await check(db);
  } finally {
    await db.close();
  }
});
