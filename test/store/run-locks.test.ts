/**
 * The locks runs hold, in process: a run's lock is held from startRun to finishRun, and a
 * `running` row whose lock nobody holds is marked interrupted by status; named locks exclude
 * other callers of the same process too; closing the database lets go of them. Run times come
 * from kansa's clock.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { setClock } from "../../src/core/clock.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { finishRun, runLockName, startRun } from "../../src/store/runs.ts";
import { readStoreStatus } from "../../src/store/status.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";

const pgSkip = postgresTestSkip();
let pg: TestPostgres | null = null;

before(async () => {
  if (!pgSkip) pg = await startPostgres();
});
after(async () => {
  setClock(null);
  await pg?.stop();
});

async function postgresDatabase(url: string): Promise<Database> {
  return openDatabase({ databaseUrl: url, dataDir: "" });
}

const kinds = [
  { name: "embedded database", skip: false as string | false, open: async () => ({ db: await openTestPglite(), url: null as string | null }) },
  {
    name: "PostgreSQL",
    skip: pgSkip,
    open: async () => {
      const url = await pg!.createDatabase();
      const db = await postgresDatabase(url);
      await migrateDatabase(db);
      return { db, url: url as string | null };
    },
  },
];

for (const kind of kinds) {
  test(`${kind.name}: a run holds its lock until it finishes; status marks running rows nobody holds as interrupted; times from the clock`, { skip: kind.skip }, async () => {
    const { db } = await kind.open();
    try {
      setClock(new Date("2026-10-06T07:00:00+09:00"));
      const live = await startRun(db, "backfill");
      assert.equal(await db.isLocked(runLockName(live)), true);
      const orphan = (await db.prisma.run.create({ data: { kind: "collect", status: "running" } })).id; // as a killed process leaves it
      const status = await readStoreStatus(db);
      assert.deepEqual(
        status.lastRuns.map((r) => [r.kind, r.status]).sort(),
        [["backfill", "running"], ["collect", "interrupted"]],
      );
      const orphanRow = await db.prisma.run.findUniqueOrThrow({ where: { id: orphan } });
      assert.equal(orphanRow.status, "interrupted");
      assert.equal(orphanRow.finishedAt, null);

      const started = (await db.prisma.run.findUniqueOrThrow({ where: { id: live } })).startedAt;
      assert.ok(Math.abs(started.getTime() - Date.parse("2026-10-05T22:00:00Z")) < 5000, `startedAt from the clock: ${started.toISOString()}`);
      await finishRun(db, live, "ok", {});
      assert.equal(await db.isLocked(runLockName(live)), false, "finishing lets go of the lock");
      const row = await db.prisma.run.findUniqueOrThrow({ where: { id: live } });
      assert.equal(row.status, "ok");
      assert.ok(Math.abs(row.finishedAt!.getTime() - Date.parse("2026-10-05T22:00:00Z")) < 5000, `finishedAt from the clock: ${row.finishedAt!.toISOString()}`);
    } finally {
      setClock(null);
      await db.close();
    }
  });

  test(`${kind.name}: a named lock excludes a second caller of the same process; closing the database lets go of it`, { skip: kind.skip }, async () => {
    const { db, url } = await kind.open();
    let closed = false;
    try {
      const release = await db.tryLock("kansa:test");
      assert.ok(release);
      assert.equal(await db.tryLock("kansa:test"), null, "not twice, even in one process");
      assert.equal(await db.isLocked("kansa:test"), true);
      await release();
      assert.equal(await db.isLocked("kansa:test"), false);
      const again = await db.tryLock("kansa:test");
      assert.ok(again, "free again once released");
      if (url) {
        const other = await postgresDatabase(url);
        try {
          assert.equal(await other.isLocked("kansa:test"), true, "another connection sees it held");
          assert.equal(await other.tryLock("kansa:test"), null);
          await db.close();
          closed = true;
          assert.equal(await other.isLocked("kansa:test"), false, "closing the database ended the lock's session");
        } finally {
          await other.close();
        }
      }
    } finally {
      if (!closed) await db.close();
    }
  });
}
