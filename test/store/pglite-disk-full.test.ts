import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pgliteDatabase, pgliteOptions } from "../../src/store/database.ts";
import { KansaError } from "../../src/core/errors.ts";

// Issue 21, point 7: PostgreSQL inside PGlite PANICs when the disk runs full while it writes its
// WAL, and PGlite then never answers again: the next query spun at 100% CPU for ever. Here the
// free-space margin is switched off (minFreeBytes 0) so that the disk really runs full under a
// COPY, on a 60 MB tmpfs.

let root = "";
let mounted = false;
let skip: string | false = false;
before(() => {
  root = mkdtempSync(join(tmpdir(), "kansa-diskfull-"));
  const result = spawnSync("mount", ["-t", "tmpfs", "-o", "size=60m", "tmpfs", root], { encoding: "utf8" });
  mounted = result.status === 0;
  if (!mounted) skip = `mounting a small tmpfs needs root, which this run does not have (${(result.stderr || result.error?.message || "").trim()})`;
});
after(() => {
  // -l: the stopped PGlite of the test keeps its files open until this process ends.
  if (mounted) spawnSync("umount", ["-l", root]);
  rmSync(root, { recursive: true, force: true });
});

/** Reject when `promise` takes longer than `ms`: a hang fails the test instead of stalling it. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

test("a disk that runs full under a COPY stops the embedded database at once with E_DISK_FULL naming the folder; it opens again once there is room", async (t) => {
  if (skip) return t.skip(skip);
  const dir = join(root, "pglite");
  mkdirSync(dir);
  const db = pgliteDatabase(await PGlite.create(dir, pgliteOptions()), `embedded ${dir}`, { dataDir: dir, minFreeBytes: 0 });
  await db.query("CREATE TABLE t (id serial PRIMARY KEY, v text)");
  let stored = 0;
  let failure: unknown = null;
  const started = Date.now();
  for (let batch = 0; batch < 200 && failure === null; batch++) {
    const rows = Array.from({ length: 2000 }, (_, i) => `row ${batch} ${i} ${"x".repeat(400)}\n`).join("");
    try {
      await within(30_000, `batch ${batch}`, db.copyIn("t (v)", rows));
      stored += 2000;
    } catch (error) {
      failure = error;
    }
  }
  const toError = Date.now() - started;
  t.diagnostic(`disk ran full after ${stored} rows; error after ${toError} ms`);
  assert.ok(failure instanceof KansaError, `expected kansa's error, got: ${String(failure)}`);
  assert.equal(failure.code, "E_DISK_FULL");
  assert.ok(failure.message.includes(dir), failure.message);
  assert.match(failure.message, /Free space on that disk/);
  // Nothing more reaches PGlite: the next query fails at once instead of spinning for ever.
  await assert.rejects(within(2_000, "a query after the failure", db.query("SELECT count(*) FROM t")), (e: unknown) => (e as KansaError).code === "E_DISK_FULL");
  await within(5_000, "close", db.close());

  // Room again: the database opens, holds every batch committed before the failure, and takes writes.
  assert.equal(spawnSync("mount", ["-o", "remount,size=200m", root]).status, 0);
  const again = pgliteDatabase(await within(60_000, "reopening", PGlite.create(dir, pgliteOptions())), `embedded ${dir}`, { dataDir: dir });
  try {
    const [row] = await again.query<{ n: number }>("SELECT count(*)::int AS n FROM t");
    assert.equal(row!.n, stored);
    await again.query("INSERT INTO t (v) VALUES ('after')");
  } finally {
    await again.close();
  }
});
