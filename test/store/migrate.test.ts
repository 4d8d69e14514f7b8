import { test } from "node:test";
import assert from "node:assert/strict";
import { openDatabase } from "../../src/store/database.ts";
import { loadMigrationsList, migrateDatabase } from "../../src/store/migrate.ts";

test("migrate applies every migration of the folder once; a second call applies none and records nothing", async () => {
  const db = await openDatabase({ dataDir: "", inMemory: true });
  try {
    const folder = loadMigrationsList().migrationDirectories.map((d) => d.path);
    assert.ok(folder.length >= 2);
    assert.deepEqual(await migrateDatabase(db), folder);
    const rows = () => db.query<{ name: string }>(`SELECT migration_name AS name FROM "_prisma_migrations" ORDER BY migration_name`);
    const before = await rows();
    assert.deepEqual(before.map((r) => r.name), folder);
    assert.deepEqual(await migrateDatabase(db), []);
    assert.deepEqual(await rows(), before);
  } finally {
    await db.close();
  }
});
