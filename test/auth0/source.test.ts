/**
 * The auth0 source against the emulated tenant: checkpoint paging, the first pull, the range,
 * and (through collectSource and a real database) store-then-advance across a crash, a 500 storm,
 * token expiry mid-pull, the retention warning, and the secret staying out of everything.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { CollectContext, RawBatch, TimeRange } from "../../src/core/types.ts";
import type { Source } from "../../src/sources/contract.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { startAuth0Emulator } from "../../src/tools/auth0-emulator/index.ts";
import { collectSource } from "../../src/schedule/collect-source.ts";
import type { Database } from "../../src/store/database.ts";
import { markSourceSuccess, readCursor, saveCursor } from "../../src/store/cursors.ts";
import { createAuth0Source } from "../../src/sources/auth0/index.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { seededRandom } from "../helpers/seed.ts";
import { DAY_MS, SECRET, capturingLogger, context, drain, logIds, recentEvents, sourceFor, wideRange } from "./helpers.ts";

type Entry = { log_id: string; date: string };
const TENANT = "test-tenant.auth0.com";

function collect(db: Database, source: Source, range: TimeRange = wideRange(), log = silentLogger) {
  return collectSource(db, source, { range, config: loadConfig({}), log, artifactsDir: context().artifactsDir });
}

async function storedIds(db: Database): Promise<string[]> {
  const rows = await db.query<{ externalId: string }>(`SELECT "externalId" FROM "AuditEvent" WHERE source = 'auth0' AND tenant = $1 ORDER BY "externalId"`, [TENANT]);
  return rows.map((r) => r.externalId);
}

/** The source, with `after(n)` called once the n-th batch has been stored and its cursor saved. */
function withHook(source: Source, after: (batches: number) => void): Source {
  return {
    name: source.name,
    tenant: source.tenant,
    resume: source.resume,
    async *collect(range: TimeRange, cursor: string | null, ctx: CollectContext): AsyncGenerator<RawBatch> {
      let n = 0;
      for await (const batch of source.collect(range, cursor, ctx)) {
        yield batch;
        after(++n);
      }
    },
  };
}

test("paging across hundreds of pages: 30,000 entries, 100 a page, each once and in log_id order, each batch's cursor its last log_id", async () => {
  const events = recentEvents(30_000, 10) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off" });
  try {
    const ctx = context();
    const batches = await drain(sourceFor(emulator), wideRange(), null, ctx);
    assert.deepEqual(logIds(batches), events.map((e) => e.log_id));
    assert.equal(batches.length, 1 + 300, "the first entry (found by search), then 300 checkpoint pages");
    for (const batch of batches) {
      assert.equal(batch.source, "auth0");
      assert.equal(batch.tenant, TENANT);
      assert.equal(batch.cursor, (batch.records[batch.records.length - 1]!.record as Entry).log_id);
      assert.match(batch.records[0]!.locator, /^log_id \d{56}$/);
    }
    assert.equal(ctx.stats.pages, 301);
    assert.equal(ctx.stats.retries, 0);
    assert.equal(emulator.stats.apiRequests, 1 + 300 + 1, "search, 300 pages, and the empty page that says caught up");
    assert.equal(emulator.stats.tokensIssued, 1);

    const resumed = await drain(sourceFor(emulator), wideRange(), events[29_949]!.log_id);
    assert.deepEqual(logIds(resumed), events.slice(29_950).map((e) => e.log_id), "from a cursor: only what follows it");
    const caughtUp = await drain(sourceFor(emulator), wideRange(), events[29_999]!.log_id);
    assert.equal(caughtUp.length, 0);
  } finally {
    await emulator.close();
  }
});

test("first pull: starts at the oldest entry not before range.from; stops after the page that reaches range.to", async () => {
  const events = recentEvents(1000, 10) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off" });
  try {
    const from = new Date(events[400]!.date);
    const to = new Date(events[650]!.date);
    const batches = await drain(sourceFor(emulator), { from, to }, null);
    const ids = logIds(batches);
    assert.equal(ids[0], events[400]!.log_id);
    assert.ok(ids.includes(events[650]!.log_id));
    assert.deepEqual(ids, events.slice(400, 401 + 300).map((e) => e.log_id), "whole pages up to the one that reaches range.to");
    const none = await drain(sourceFor(emulator), { from: new Date(Date.now() + DAY_MS), to: new Date(Date.now() + 2 * DAY_MS) }, null);
    assert.equal(none.length, 0, "nothing since range.from: nothing yielded, no cursor");
  } finally {
    await emulator.close();
  }
});

test("a crash between storing a page and saving its cursor: the rerun re-reads that page, stores nothing twice and leaves no gap", async (t) => {
  const events = recentEvents(1000, 10) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off" });
  const db = await openTestPglite();
  try {
    // The k-th cursor write dies (k from the seed), as if the process were killed right after
    // storing batch k. Batch 1 is the first entry; each later batch is a page of 100.
    const { random, seed } = seededRandom(t, import.meta.filename);
    const k = random.int(2, 10);
    const when = `${seed}: killed at cursor write ${k}`;
    let cursorWrites = 0;
    const cursors = db.prisma.sourceCursor;
    const crashing: Database = {
      ...db,
      prisma: new Proxy(db.prisma, {
        get(target, prop, receiver) {
          if (prop !== "sourceCursor") return Reflect.get(target, prop, receiver);
          return new Proxy(cursors, {
            get(t, p, r) {
              const value = Reflect.get(t, p, r) as unknown;
              if (p !== "upsert" || typeof value !== "function") return value;
              return (...args: unknown[]) => {
                cursorWrites += 1;
                if (cursorWrites === k) return Promise.reject(new Error("killed"));
                return (value as (...a: unknown[]) => unknown).apply(t, args);
              };
            },
          });
        },
      }),
    };
    const first = await collect(crashing, sourceFor(emulator));
    assert.equal(first.errors.length, 1, when);
    assert.equal(first.stored, 1 + (k - 1) * 100, `${when}: batches 1 (the first entry) to ${k} were stored`);
    assert.equal((await readCursor(db, "auth0", TENANT))?.cursor, events[(k - 2) * 100]!.log_id, `${when}: the cursor stayed at the end of batch ${k - 1}`);

    const second = await collect(db, sourceFor(emulator));
    assert.deepEqual(second.errors, [], when);
    assert.equal(second.duplicates, 100, `${when}: batch ${k} read again`);
    assert.equal(second.stored, 1000 - first.stored, when);
    assert.deepEqual(await storedIds(db), events.map((e) => e.log_id).sort(), when);
    assert.equal((await readCursor(db, "auth0", TENANT))?.cursor, events[999]!.log_id, when);

    const third = await collect(db, sourceFor(emulator));
    assert.equal(third.collected, 0, "caught up: nothing read");
    assert.equal(third.stored, 0);
  } finally {
    await db.close();
    await emulator.close();
  }
});

test("a 500 storm that spends the retry budget: a clear error, what was stored stays, the cursor stays at the last stored page", async () => {
  const events = recentEvents(1000, 10) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off" });
  const db = await openTestPglite();
  try {
    const storm = withHook(sourceFor(emulator, { retryBudget: 4 }), (n) => {
      if (n === 3) emulator.faults.serverErrorNext = 10_000;
    });
    const result = await collect(db, storm);
    assert.equal(result.errors.length, 1);
    const message = result.errors[0]!;
    assert.ok(message.includes(new URL(emulator.url).host), message);
    assert.match(message, new RegExp(`checkpoint page after log_id ${events[200]!.log_id}`));
    assert.match(message, /last status: HTTP 500/);
    assert.match(message, /E_AUTH0_GAVE_UP/);
    assert.equal(result.stored, 201);
    assert.equal(result.stats.retries, 4);
    assert.equal((await readCursor(db, "auth0", TENANT))?.cursor, events[200]!.log_id);
    assert.equal((await readCursor(db, "auth0", TENANT))?.lastSuccessAt, null, "a failed pull is not a success");

    emulator.faults.serverErrorNext = 0;
    const rerun = await collect(db, sourceFor(emulator));
    assert.deepEqual(rerun.errors, []);
    assert.equal(rerun.stored, 799);
    assert.equal(rerun.duplicates, 0);
    assert.equal((await storedIds(db)).length, 1000);
  } finally {
    await db.close();
    await emulator.close();
  }
});

test("the token expires in the middle of a pull: one 401, one new token, and the pull goes on", async () => {
  const events = recentEvents(800, 10) as Entry[];
  let now = Date.now();
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", retentionDays: null, now: () => now });
  const db = await openTestPglite();
  try {
    // The tenant's clock jumps a day ahead after the third page: the cached token is now expired there.
    const source = withHook(sourceFor(emulator), (n) => {
      if (n === 3) now += 25 * 3_600_000;
    });
    const result = await collect(db, source);
    assert.deepEqual(result.errors, []);
    assert.equal(result.stored, 800);
    assert.equal(emulator.stats.unauthorized, 1);
    assert.equal(emulator.stats.tokensIssued, 2);
    assert.equal(result.stats.retries, 0);
  } finally {
    await db.close();
    await emulator.close();
  }
});

test("new entries since the last pull, and only they, are stored by the next one", async () => {
  // Entries up to two days ahead: the tenant shows them only once its clock has passed them.
  const events = recentEvents(600, 10, Date.now() + 3 * DAY_MS) as Entry[];
  let now = Date.now();
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", now: () => now });
  const db = await openTestPglite();
  try {
    const visibleNow = events.filter((e) => Date.parse(e.date) <= now).length;
    assert.ok(visibleNow > 100 && visibleNow < 600);
    const first = await collect(db, sourceFor(emulator));
    assert.equal(first.stored, visibleNow);
    now += 3 * DAY_MS;
    const second = await collect(db, sourceFor(emulator), wideRange(now));
    assert.equal(second.stored, 600 - visibleNow);
    assert.equal(second.duplicates, 0);
    assert.equal((await storedIds(db)).length, 600);
  } finally {
    await db.close();
    await emulator.close();
  }
});

test("retention: a previous success older than AUTH0_RETENTION_DAYS gives the 'may have been lost' retention gap; a recent one does not", async () => {
  const events = recentEvents(50, 3) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", retentionDays: 10 });
  const db = await openTestPglite();
  try {
    const previous = new Date(Date.now() - 12 * DAY_MS);
    await saveCursor(db, "auth0", TENANT, events[10]!.log_id);
    await markSourceSuccess(db, "auth0", TENANT, previous);
    const late = await collect(db, sourceFor(emulator, { retentionDays: 10 }));
    assert.equal(late.gaps.length, 1);
    const warning = late.gaps[0]!;
    assert.match(warning, /entries may have been lost between/);
    assert.ok(warning.includes(previous.toISOString()), warning);
    assert.match(warning, /AUTH0_RETENTION_DAYS/);
    assert.equal(late.stored, 39);

    const onTime = await collect(db, sourceFor(emulator, { retentionDays: 10 }));
    assert.deepEqual(onTime.gaps, [], "the pull just before succeeded");

    // A first pull asked to start before what the plan keeps says so.
    const ctx = context();
    await drain(sourceFor(emulator, { retentionDays: 10 }), { from: new Date(Date.now() - 20 * DAY_MS), to: new Date() }, null, ctx);
    assert.equal(ctx.gaps.length, 1);
    assert.match(ctx.gaps[0]!, /no longer available/);
  } finally {
    await db.close();
    await emulator.close();
  }
});

test("the client secret appears in no log line, error, stored record or request URL, through retries and a refused login", async () => {
  const events = recentEvents(500, 5) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", faults: { rateLimitEvery: 4, dropNext: 1 } });
  const wrong = await startAuth0Emulator({ events, clientSecret: "a-different-secret", rate: "off" });
  const db = await openTestPglite();
  try {
    const { log, lines } = capturingLogger();
    const ok = await collect(db, sourceFor(emulator), wideRange(), log);
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.stored, 500);
    assert.ok(ok.stats.retries! > 0);
    const refused = await collect(db, sourceFor(wrong, { tenant: "other.auth0.com" }), wideRange(), log);
    assert.equal(refused.errors.length, 1);
    assert.match(refused.errors[0]!, /E_AUTH0_CREDENTIALS/);
    assert.equal(wrong.stats.tokenRequests, 1);

    const raw = await db.query<{ raw: string }>(`SELECT raw::text AS raw FROM "AuditEvent"`);
    const runs = JSON.stringify(await db.query(`SELECT * FROM "SourceCursor"`));
    const haystack = [lines.join("\n"), ok.errors.join(), refused.errors.join(), raw.map((r) => r.raw).join(), runs, JSON.stringify(emulator.stats.requests), JSON.stringify(wrong.stats.requests)].join("\n");
    assert.ok(lines.length > 0, "something was logged");
    assert.ok(!haystack.includes(SECRET));
  } finally {
    await db.close();
    await emulator.close();
    await wrong.close();
  }
});

test("createAuth0Source: null unless domain, id and secret are set; a bare domain means https; the tenant is AUTH0_TENANT or the host", () => {
  assert.equal(createAuth0Source(loadConfig({ AUTH0_DOMAIN: "example.eu.auth0.com", AUTH0_CLIENT_ID: "id" })), null);
  const bare = createAuth0Source(loadConfig({ AUTH0_DOMAIN: "Example.eu.auth0.com", AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "secret-value" }));
  assert.equal(bare?.name, "auth0");
  assert.equal(bare?.tenant, "example.eu.auth0.com");
  const named = createAuth0Source(loadConfig({ AUTH0_DOMAIN: "http://127.0.0.1:4010", AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "secret-value", AUTH0_TENANT: "acme" }));
  assert.equal(named?.tenant, "acme");
  const url = createAuth0Source(loadConfig({ AUTH0_DOMAIN: "http://127.0.0.1:4010/", AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "secret-value" }));
  assert.equal(url?.tenant, "127.0.0.1:4010");
});

