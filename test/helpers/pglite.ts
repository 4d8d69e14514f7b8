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
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../../src/store/generated/client.ts";
import type { Database } from "../../src/store/database.ts";
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
  const client = await PGlite.create();
  const scratch = wrap(client);
  await migrateDatabase(scratch);
  await scratch.prisma.$disconnect();
  const dump = await client.dumpDataDir("gzip");
  await client.close();
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, path);
  return dump;
}

function wrap(client: PGlite): Database {
  const adapterFactory = new PrismaPGlite(client);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    kind: "pglite",
    describe: "embedded (in memory, test)",
    adapterFactory,
    query: async <T,>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows,
    tryLock: async () => async () => undefined,
    close: async () => {
      await prisma.$disconnect();
      if (!client.closed) await client.close();
    },
  };
}

/** A new in-memory PGlite database with every migration applied. */
export async function openTestPglite(): Promise<Database> {
  template ??= buildTemplate();
  const client = await PGlite.create({ loadDataDir: await template });
  return wrap(client);
}
