/**
 * Migrations without the network: the Prisma schema engine compiled to WebAssembly
 * (@prisma/schema-engine-wasm) runs through the same driver adapter kansa queries with.
 * `applyMigrations` applies prisma/migrations/* and records them in `_prisma_migrations`
 * exactly as `prisma migrate deploy` does, so Heroku's release phase agrees with it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { Database } from "./database.ts";
import { StoreError } from "../core/errors.ts";
import { projectRoot } from "../core/paths.ts";

const require = createRequire(import.meta.url);
export const schemaPath = join(projectRoot, "prisma", "schema.prisma");
export const migrationsDir = join(projectRoot, "prisma", "migrations");

type EngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
type SchemaEngine = Awaited<ReturnType<EngineModule["SchemaEngine"]["new"]>>;

let engineModule: Promise<EngineModule> | undefined;

/** Load and start the WebAssembly engine once per process. */
async function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bindings = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as EngineModule;
    const wasmPath = join(dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bindings;
  })();
  return engineModule;
}

async function withEngine<T>(adapterFactory: SqlMigrationAwareDriverAdapterFactory, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const schema = readFileSync(schemaPath, "utf8");
  const engine = await SchemaEngine.new(
    { datamodels: [["schema.prisma", schema]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
  }
}

/** The migrations folder as the engine reads it. */
export function loadMigrationsList(dir: string = migrationsDir) {
  const directories = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const lockPath = join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => {
      const file = join(dir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file)
            ? ({ tag: "ok", value: readFileSync(file, "utf8") } as const)
            : ({ tag: "error", value: `${file} is missing` } as const),
        },
      };
    }),
  };
}

/**
 * Whether every migration in the folder is recorded as applied (finished, not rolled back).
 * Checked first so that the usual start-up, with nothing to apply, does not load the engine.
 */
async function allApplied(db: Database, names: string[]): Promise<boolean> {
  const [table] = await db.query<{ name: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS name`);
  if (!table?.name) return false;
  const rows = await db.query<{ name: string }>(
    `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const applied = new Set(rows.map((r) => r.name));
  return names.every((name) => applied.has(name));
}

/**
 * The engine's message without its span trace (the lines from "0: sql_schema_connector::…" on,
 * which name the engine's source files, not the user's problem).
 */
export function engineMessage(message: string): string {
  const lines = message.split("\n");
  const trace = lines.findIndex((line) => /^\s*0: \S+::/.test(line));
  return (trace < 0 ? lines : lines.slice(0, trace)).join("\n").trimEnd();
}

/**
 * Apply every migration of `dir` (prisma/migrations) not yet applied. Returns the names applied
 * now. A migration that fails is applied not at all, recorded as failed, and reported here
 * with the database's message (see whole-scripts.ts); later calls refuse until it is resolved.
 */
export async function migrateDatabase(db: Database, dir: string = migrationsDir): Promise<string[]> {
  try {
    const migrationsList = loadMigrationsList(dir);
    if (await allApplied(db, migrationsList.migrationDirectories.map((d) => d.path))) return [];
    return await withEngine(db.adapterFactory, async (engine) => {
      const output = await engine.applyMigrations({
        migrationsList,
        filters: { externalTables: [], externalEnums: [] },
      });
      return output.appliedMigrationNames;
    });
  } catch (error) {
    throw new StoreError(`Could not migrate ${db.describe}: ${engineMessage((error as Error).message)}`, { cause: error });
  }
}

/**
 * The SQL of a new migration: the difference between the database that the existing
 * migrations produce (applied to `scratch`, a fresh empty database) and prisma/schema.prisma.
 */
export async function diffMigrationSql(scratch: Database): Promise<string> {
  await migrateDatabase(scratch);
  return withEngine(scratch.adapterFactory, async (engine) => {
    const schemaFile = { path: schemaPath, content: readFileSync(schemaPath, "utf8") };
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files: [schemaFile], configDir: projectRoot },
      to: { tag: "schemaDatamodel", files: [schemaFile] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    } as Parameters<SchemaEngine["diff"]>[0]);
    return result.stdout ?? "";
  });
}
