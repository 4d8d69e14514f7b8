/**
 * A migration that fails (see src/store/whole-scripts.ts): on both databases it is applied not
 * at all, recorded as failed rather than applied, reported by migrateDatabase with the
 * database's message (no unhandled rejection), and what is already stored stays.
 */
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StoreError } from "../../src/core/errors.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { engineMessage, loadMigrationsList, migrateDatabase, migrationsDir } from "../../src/store/migrate.ts";
import { storeEvents } from "../../src/store/events.ts";
import type { AuditEvent } from "../../src/core/types.ts";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";

const BROKEN = "29990101000000_broken";

/** prisma/migrations plus one whose second statement fails after its first created a table. */
function migrationsWithBrokenOne(): string {
  const dir = mkdtempSync(join(tmpdir(), "kansa-migrations-"));
  cpSync(migrationsDir, dir, { recursive: true });
  mkdirSync(join(dir, BROKEN));
  writeFileSync(join(dir, BROKEN, "migration.sql"), `CREATE TABLE "HalfDone" ("x" INTEGER);\nINSERT INTO "HalfDone" VALUES (1);\nSELECT 1 / 0;\n`);
  return dir;
}

const event: AuditEvent = {
  source: "kintone", tenant: "example.cybozu.com", externalId: "kept-1", occurredAt: new Date(Date.UTC(2026, 9, 1)), account: "taro",
  action: "login", ip: "203.0.113.10", ipParsed: "203.0.113.10", appId: null, appName: null, userAgent: "ua", level: null, result: "SUCCESS",
  isExport: false, isCritical: false, isLogin: true, isFailedLogin: false, raw: { n: 1 },
};

/** Collects unhandled rejections while `work` runs (and a moment after: the old failure came late). */
async function unhandledDuring(work: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on("unhandledRejection", listener);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    process.off("unhandledRejection", listener);
  }
  return seen;
}

function suite(name: string, open: () => Promise<Database>, cleanup: () => Promise<void>, skip: string | false): void {
  describe(`a failing migration on ${name}`, { skip }, () => {
    after(cleanup);

    test("is applied not at all, recorded as failed, reported with the database's message; stored events stay", async () => {
      const dir = migrationsWithBrokenOne();
      const db = await open();
      try {
        await migrateDatabase(db);
        assert.deepEqual(await storeEvents(db, [event]), { stored: 1, duplicates: 0 });
        const unhandled = await unhandledDuring(async () => {
          await assert.rejects(migrateDatabase(db, dir), (error: Error) => {
            assert.ok(error instanceof StoreError, String(error));
            assert.match(error.message, /division by zero/);
            assert.doesNotMatch(error.message, /\.rs:\d+/, "the engine's span trace is cut");
            return true;
          });
          // Until the failed migration is resolved, later calls refuse and say which one failed.
          await assert.rejects(migrateDatabase(db, dir), new RegExp(`failed migrations[\\s\\S]*${BROKEN}`));
        });
        assert.deepEqual(unhandled, []);
        const [half] = await db.query<{ name: string | null }>(`SELECT to_regclass('"HalfDone"')::text AS name`);
        assert.equal(half?.name, null, "the first statement of the failed script was rolled back with it");
        const records = await db.query<{ finished: boolean }>(
          `SELECT finished_at IS NOT NULL AS finished FROM "_prisma_migrations" WHERE migration_name = $1`, [BROKEN]);
        assert.deepEqual(records, [{ finished: false }]);
        const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent"`);
        assert.equal(count?.n, 1);
        // The folder's own migrations are still all applied.
        const applied = await db.query<{ name: string }>(
          `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1`);
        assert.deepEqual(applied.map((r) => r.name), loadMigrationsList().migrationDirectories.map((d) => d.path));
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test("a migration re-applied over tables it made fails cleanly too (one marked rolled back by hand)", async () => {
      const db = await open();
      try {
        const [first] = await migrateDatabase(db);
        await db.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1`, [first]);
        const unhandled = await unhandledDuring(async () => {
          await assert.rejects(migrateDatabase(db), /relation "AuditEvent" already exists/);
        });
        assert.deepEqual(unhandled, []);
      } finally {
        await db.close();
      }
    });
  });
}

test("engineMessage keeps the message and cuts the engine's span trace", () => {
  const message = 'external connector error\nError querying the database: ERROR: division by zero\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="x"\n             at schema-engine/src/apply_migration.rs:113';
  assert.equal(engineMessage(message), "external connector error\nError querying the database: ERROR: division by zero");
  assert.equal(engineMessage("no trace here\n"), "no trace here");
});

suite("PGlite", () => openDatabase({ dataDir: "", inMemory: true }), async () => undefined, false);

let server: TestPostgres | null = null;
suite(
  "PostgreSQL",
  async () => {
    server ??= await startPostgres();
    if (!server) throw new Error("no PostgreSQL");
    return openDatabase({ databaseUrl: await server.createDatabase(), dataDir: "" });
  },
  async () => {
    await server?.stop();
    server = null;
  },
  postgresTestSkip(),
);
