import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, PGLITE_SHARED_BUFFERS, type Database } from "../../src/store/database.ts";
import { openTestPglite } from "../helpers/pglite.ts";

test("the embedded database runs with the smaller shared_buffers, on disk, in memory and in the tests", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kansa-settings-"));
  try {
    const opens: (() => Promise<Database>)[] = [() => openDatabase({ dataDir: dir }), () => openDatabase({ dataDir: "", inMemory: true }), openTestPglite];
    for (const open of opens) {
      const db = await open();
      try {
        const [row] = await db.query<{ shared_buffers: string }>("SHOW shared_buffers");
        assert.equal(row!.shared_buffers, PGLITE_SHARED_BUFFERS);
        assert.notEqual(PGLITE_SHARED_BUFFERS, "128MB"); // PostgreSQL's default, which this replaces
      } finally {
        await db.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
