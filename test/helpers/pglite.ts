/**
 * A fresh, migrated, in-memory PGlite database for a test. Creating PGlite and applying the
 * migrations takes seconds on a busy machine, so the first call builds a template once (per
 * migrations folder content, cached in the temp folder across test processes) and every call
 * loads a copy of it, which is much faster. Close it with `db.close()`.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pgliteDatabase, pgliteOptions, type Database } from "../../src/store/database.ts";
import { migrateDatabase, migrationsDir } from "../../src/store/migrate.ts";

function migrationsFingerprint(): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(migrationsDir).sort()) {
    const file = join(migrationsDir, name, "migration.sql");
    hash.update(name);
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

let template: Promise<Blob> | undefined;

async function buildTemplate(): Promise<Blob> {
  const path = join(tmpdir(), `kansa-pglite-template-${migrationsFingerprint()}.tar.gz`);
  if (existsSync(path)) return new Blob([readFileSync(path)]);
  const client = await PGlite.create(pgliteOptions());
  const scratch = pgliteDatabase(client, "embedded (in memory, test)");
  await migrateDatabase(scratch);
  await scratch.prisma.$disconnect();
  const dump = await client.dumpDataDir("gzip");
  await client.close();
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, path);
  return dump;
}

/** A new in-memory PGlite database with every migration applied. */
export async function openTestPglite(): Promise<Database> {
  template ??= buildTemplate();
  const client = await PGlite.create({ ...pgliteOptions(), loadDataDir: await template });
  return pgliteDatabase(client, "embedded (in memory, test)");
}
