import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { storeEvents, STORE_CHUNK } from "../../src/store/events.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import type { AuditEvent } from "../../src/core/types.ts";
import { isMobileAgent } from "../../src/core/mobile-agent.ts";
import { loadEncodingEvents } from "../../src/store/event-queries.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";
import { DESKTOP_AGENT, IPHONE_AGENT } from "../helpers/user-agents.ts";

function event(i: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    source: "kintone", tenant: "example.cybozu.com", externalId: `id-${i}`,
    occurredAt: new Date(Date.UTC(2026, 9, 1, 0, 0, i)), account: `user${i % 7}`, action: "login",
    ip: "203.0.113.10", ipParsed: "203.0.113.10", appId: null, appName: null, userAgent: "ua",
    level: "情報", result: "SUCCESS", isExport: false, isCritical: false, isLogin: true, isFailedLogin: false,
    raw: { Date: "2026/10/01 09:00:00", User: `user${i % 7}`, n: i },
    ...overrides,
  };
}

function suite(name: string, open: () => Promise<Database>, skip: string | false = false): void {
  describe(`storeEvents on ${name}`, { skip }, () => {
    let db: Database;
    before(async () => {
      db = await open();
    });
    after(async () => {
      await db?.close();
    });

    test("stores a batch, counts repeats inside it as duplicates, and stores nothing the second time", async () => {
      const events = Array.from({ length: 2500 }, (_, i) => event(i));
      const first = await storeEvents(db, [...events, event(3), event(4)]);
      assert.deepEqual(first, { stored: 2500, duplicates: 2 });
      const second = await storeEvents(db, events);
      assert.deepEqual(second, { stored: 0, duplicates: 2500 });
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent"`);
      assert.equal(Number(row!.n), 2500);
    });

    test("the same external id in another tenant or source is another event", async () => {
      const result = await storeEvents(db, [event(1, { tenant: "other" }), event(1, { source: "auth0" })]);
      assert.deepEqual(result, { stored: 2, duplicates: 0 });
    });

    test("hostile and odd values are stored as given (NUL, the only character PostgreSQL refuses, is dropped)", async () => {
      const hostile = event(9000, {
        externalId: "hostile",
        account: "<script>alert('x')</script>",
        action: "Robert'); DROP TABLE \"AuditEvent\";--",
        ip: "xx.xxx.xxx.xx", ipParsed: null, userAgent: 'a "quoted", comma\nnewline \\ backslash \\u0000 text',
        appName: "顧客管理 🚀", level: null, result: null,
        raw: { nested: { deep: [1, "two", null, { x: "\u0000nul" }] }, "weird key\"": true, emoji: "🚀" },
      });
      assert.deepEqual(await storeEvents(db, [hostile]), { stored: 1, duplicates: 0 });
      const stored = await db.prisma.auditEvent.findFirstOrThrow({ where: { externalId: "hostile" } });
      assert.equal(stored.account, hostile.account);
      assert.equal(stored.action, hostile.action);
      assert.equal(stored.userAgent, hostile.userAgent);
      assert.equal(stored.appName, "顧客管理 🚀");
      assert.equal(stored.ipParsed, null);
      assert.equal(stored.occurredAt.toISOString(), hostile.occurredAt.toISOString());
      assert.deepEqual(stored.raw, { nested: { deep: [1, "two", null, { x: "nul" }] }, "weird key\"": true, emoji: "🚀" });
    });

    test("reportInserted says which of the given events were inserted now", async () => {
      const result = await storeEvents(db, [event(1), event(90001), event(90001), event(90002)], { reportInserted: true });
      assert.deepEqual(result, { stored: 2, duplicates: 2, inserted: [false, true, false, true] });
    });

    test("COPY's own characters (tab, return, backslash, a literal \\N) are stored as given, not as separators or null", async () => {
      const odd = event(9100, {
        externalId: "copy\tchars\\N", account: "\\N", action: "a\tb\r\nc\\td", appId: "", appName: "\\", userAgent: "\\\\N\t",
        raw: { "tab\tkey": "line\r\nend\\N" },
      });
      assert.deepEqual(await storeEvents(db, [odd]), { stored: 1, duplicates: 0 });
      const stored = await db.prisma.auditEvent.findFirstOrThrow({ where: { externalId: odd.externalId } });
      assert.deepEqual(
        [stored.account, stored.action, stored.appId, stored.appName, stored.userAgent, stored.raw],
        [odd.account, odd.action, odd.appId, odd.appName, odd.userAgent, odd.raw],
      );
    });

    test("a chunk with several tenants skips only the keys each tenant already has", async () => {
      await storeEvents(db, [event(95000, { tenant: "t1" }), event(95001, { tenant: "t2" })]);
      const mixed = [95000, 95001].flatMap((i) => [event(i, { tenant: "t1" }), event(i, { tenant: "t2" })]);
      assert.deepEqual(await storeEvents(db, mixed, { reportInserted: true }), { stored: 2, duplicates: 2, inserted: [false, true, true, false] });
    });

    test("a chunk holding stored keys among new ones stores just the new ones, in that chunk and those after it", async () => {
      await storeEvents(db, [event(96001), event(96003)]);
      // COPY of the first chunk meets a stored key and fails whole; that chunk and the next one
      // are stored skipping what is there.
      const events = Array.from({ length: STORE_CHUNK + 10 }, (_, i) => event(96000 + i));
      const result = await storeEvents(db, [...events, event(96003)], { reportInserted: true });
      assert.equal(result.stored, STORE_CHUNK + 8);
      assert.equal(result.duplicates, 3);
      assert.deepEqual(result.inserted!.slice(0, 5), [true, false, true, false, true]);
      assert.equal(result.inserted!.filter(Boolean).length, STORE_CHUNK + 8);
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "externalId" = ANY($1::text[])`, [events.map((e) => e.externalId)]);
      assert.equal(Number(row!.n), STORE_CHUNK + 10);
    });

    test("raw is kept as written: keys in their own order, at every depth", async () => {
      const raw = { zeta: 1, alpha: { y: [3, { d: 4, c: 5 }], b: 2 }, "": null, Date: "2026/10/01 09:00:00" };
      await storeEvents(db, [event(9100, { externalId: "key-order", raw })]);
      const stored = await db.prisma.auditEvent.findFirstOrThrow({ where: { externalId: "key-order" } });
      assert.equal(JSON.stringify(stored.raw), JSON.stringify(raw)); // jsonb would sort the keys
      const [row] = await db.query<{ type: string }>(`SELECT pg_typeof("raw")::text AS type FROM "AuditEvent" LIMIT 1`);
      assert.equal(row!.type, "json");
    });

    test("a month read for detection says which events came from a phone, as isMobileAgent does", async () => {
      const agents = [
        IPHONE_AGENT,
        "Chrome Mobile 140.0.0 / Android 15.0.0",
        DESKTOP_AGENT,
        "mobile in lower case", "", "curl/8.5.0", "Mozilla/5.0 (iPad; CPU OS 18_0 like Mac OS X)",
      ];
      const events = agents.map((userAgent, k) => event(9200 + k, { tenant: "mobile.example", userAgent }));
      await storeEvents(db, events);
      const range = { from: new Date(Date.UTC(2026, 9, 1)), to: new Date(Date.UTC(2026, 9, 2)) };
      const rows = await loadEncodingEvents(db, { source: "kintone", tenant: "mobile.example" }, range, ["isMobile"]);
      assert.deepEqual(rows.map((r) => r.isMobile), agents.map(isMobileAgent));
      assert.deepEqual(rows.map((r) => r.isMobile), [true, true, false, false, false, false, true]);
    });

    test("an empty list stores nothing", async () => {
      assert.deepEqual(await storeEvents(db, []), { stored: 0, duplicates: 0 });
    });
  });
}

suite("PGlite", openTestPglite);

let server: TestPostgres | null = null;
suite(
  "PostgreSQL",
  async () => {
    server = await startPostgres();
    if (!server) throw new Error("no PostgreSQL");
    const db = await openDatabase({ databaseUrl: await server.createDatabase(), dataDir: "" });
    await migrateDatabase(db);
    const close = db.close;
    return { ...db, close: async () => { await close(); await server?.stop(); } };
  },
  postgresTestSkip(),
);
