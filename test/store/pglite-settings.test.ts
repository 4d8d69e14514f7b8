import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, PGLITE_SHARED_BUFFERS } from "../../src/store/database.ts";

test("the embedded database runs with the smaller shared_buffers, on disk and in memory", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kansa-settings-"));
  try {
    for (const options of [{ dataDir: dir }, { dataDir: "", inMemory: true }]) {
      const db = await openDatabase(options);
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
