import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeSample } from "../../src/tools/generator/index.ts";
import { importFiles, type ImportResult } from "../../src/schedule/import-files.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";
import { defaultConfig } from "../helpers/options.ts";

const CONSOLE_ROWS = 45_000;
const AUTH0_EVENTS = 2_400;

let sampleDir = "";
before(async () => {
  sampleDir = mkdtempSync(join(tmpdir(), "kansa-import-"));
  const sample = await writeSample(sampleDir, { seed: 11, from: "2026-09-01", to: "2026-09-30", consoleTotal: CONSOLE_ROWS, auth0Total: AUTH0_EVENTS, split: "week" });
  assert.equal(sample.consoleRows, CONSOLE_ROWS);
  assert.equal(sample.auth0Events, AUTH0_EVENTS);
});
after(() => rmSync(sampleDir, { recursive: true, force: true }));

function run(db: Database, paths: string[]): Promise<ImportResult> {
  return importFiles(db, paths, {
    config: { ...defaultConfig("Asia/Tokyo"), kintoneHostname: "example.cybozu.com" },
    log: silentLogger,
    batchSize: 2000,
  });
}

async function count(db: Database, where = "TRUE"): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE ${where}`);
  return Number(row!.n);
}

function suite(name: string, open: () => Promise<Database>, skip: string | false = false): void {
  describe(`import into ${name}`, { skip }, () => {
    let db: Database;
    before(async () => {
      db = await open();
    });
    after(async () => {
      await db?.close();
    });

    test(`a folder of ${CONSOLE_ROWS} console rows and ${AUTH0_EVENTS} Auth0 events stores every one; importing it again stores nothing`, async () => {
      const first = await run(db, [sampleDir]);
      assert.equal(first.total.unreadable, 0);
      assert.equal(first.total.rejected, 0);
      assert.equal(first.total.read, CONSOLE_ROWS + AUTH0_EVENTS);
      assert.equal(first.total.stored, CONSOLE_ROWS + AUTH0_EVENTS);
      assert.equal(await count(db, `"source" = 'kintone' AND "tenant" = 'example.cybozu.com'`), CONSOLE_ROWS);
      assert.equal(await count(db, `"source" = 'auth0'`), AUTH0_EVENTS);
      const second = await run(db, [sampleDir]);
      assert.equal(second.total.read, CONSOLE_ROWS + AUTH0_EVENTS);
      assert.equal(second.total.stored, 0);
      assert.equal(second.total.duplicates, CONSOLE_ROWS + AUTH0_EVENTS);
      assert.equal(await count(db), CONSOLE_ROWS + AUTH0_EVENTS);
    });

    test("fixtures: BOM, English, a bad record in the middle, seed envelopes and drifting NDJSON", async () => {
      const result = await run(db, ["test/fixtures"]);
      const byName = new Map(result.files.map((f) => [f.file.replace(/^test\/fixtures\//, ""), f]));
      const bad = byName.get("console/bad-middle.csv")!;
      assert.equal(bad.read, 6);
      assert.equal(bad.stored + bad.duplicates, 4);
      assert.deepEqual(bad.rejections, [
        { locator: "line 4", reason: "the row has 3 cells, the header has 11" },
        { locator: "line 6", reason: 'the Date cell "yesterday" is not a date and time' },
      ]);
      // the same seven entries in Japanese (BOM) and English: stored once
      const ja = byName.get("console/ja-bom.csv")!;
      const en = byName.get("console/en.csv")!;
      assert.equal(ja.read + en.read, 14);
      assert.equal(en.stored + ja.stored, 7 - bad.stored);
      const drift = byName.get("auth0/drift.ndjson")!;
      assert.equal(drift.read, 17);
      assert.equal(drift.rejected, 4);
      assert.deepEqual(drift.rejections.map((r) => r.locator), ["record 13 (line 13)", "record 14 (line 14)", "record 15 (line 15)", "record 16 (line 16)"]);
      assert.equal(byName.get("auth0/seed-001-login-envelope.json")!.stored, 1);
      const hostile = await db.prisma.auditEvent.findFirstOrThrow({ where: { source: "kintone", action: "login", result: "VALIDATION ERROR" } });
      // A failed login's account is the login name that was tried, which its complement holds (issue 24): kept as text.
      assert.equal(hostile.account, "<img src=x onerror=alert(1)>");
      assert.deepEqual((hostile.raw as Record<string, string>).Complement, "<img src=x onerror=alert(1)>");
      const seed = await db.prisma.auditEvent.findFirstOrThrow({ where: { externalId: "90020191212155725426000495718238468680099562393941573746" } });
      // No Auth0 setting: the fixed tenant "auth0"; the event's hostname stays in raw.
      assert.equal(seed.tenant, "auth0");
      assert.equal((seed.raw as Record<string, unknown>).hostname, "classmethod-demo.auth0.com");
      assert.equal(seed.isLogin, true);
    });
  });
}

suite("PGlite", openTestPglite);

let server: TestPostgres | null = null;
suite(
  "PostgreSQL 15",
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
