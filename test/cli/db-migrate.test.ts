/**
 * `kansa db migrate` reports what this call applied: every migration on a new database, then
 * "up to date" (every other command migrates too, so the second call finds nothing to do).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "../../src/core/paths.ts";

const execFileAsync = promisify(execFile);
const bin = join(projectRoot, "bin", "kansa.js");
const migrationsDir = join(projectRoot, "prisma", "migrations");
const migrations = readdirSync(migrationsDir).filter((name) => statSync(join(migrationsDir, name)).isDirectory()).sort();

async function kansa(args: string[], dataDir: string): Promise<string> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, KANSA_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  const { stdout } = await execFileAsync(process.execPath, [bin, ...args], { encoding: "utf8", env });
  return stdout;
}

test("kansa db migrate says what it applied on a new database, and 'up to date' after", { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "kansa-db-migrate-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.ok(migrations.length >= 1);

  const dataDir = join(dir, "text");
  const first = await kansa(["db", "migrate"], dataDir);
  assert.ok(first.startsWith(`embedded ${dataDir}`), first);
  assert.match(first, new RegExp(`: applied ${migrations.length} migration\\(s\\): ${migrations.join(", ")}\\.\\n$`));
  const second = await kansa(["db", "migrate"], dataDir);
  assert.match(second, new RegExp(`: up to date \\(${migrations.length} migrations\\)\\.\\n$`));
  assert.doesNotMatch(second, /applied/);

  const jsonDir = join(dir, "json");
  const appliedNow = JSON.parse(await kansa(["db", "migrate", "--json"], jsonDir)) as { database: string; applied: string[]; migrations: string[] };
  assert.deepEqual(appliedNow.applied, migrations);
  assert.deepEqual(appliedNow.migrations, migrations);
  assert.ok(appliedNow.database.startsWith(`embedded ${jsonDir}`), appliedNow.database);
  const again = JSON.parse(await kansa(["db", "migrate", "--json"], jsonDir)) as { applied: string[]; migrations: string[] };
  assert.deepEqual(again, { ...appliedNow, applied: [] });
});
