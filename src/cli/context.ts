/**
 * What every command needs: the parsed config, a logger, and a migrated database that is
 * closed on every exit path. Commands return an exit code; only src/cli.ts exits the process.
 */
import { randomUUID } from "node:crypto";
import { type Config } from "../core/config.ts";
import { loadConfig } from "../sources/config.ts";
import { loadOrganisations, selectOrganisation, type Organisation } from "../sources/organisations.ts";
import { setClock } from "../core/clock.ts";
import { createLogger, type Logger } from "../core/logger.ts";
import { openDatabase, type Database } from "../store/database.ts";
import { loadMigrationsList, migrateDatabase } from "../store/migrate.ts";

export interface CliContext {
  /** The environment's settings (database, mail server, log level, clock; the single organisation's too). */
  config: Config;
  log: Logger;
  runId: string;
  /** Every organisation (KANSA_CONFIG's, else the one of the environment variables), read on first use. */
  organisations(): Organisation[];
  /** The organisation `--org` names (without it: the only one; several is an error asking for --org). */
  organisation(name: string | undefined): Organisation;
}

/** Parse the environment and create the logger for one command. */
export function createContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const config = loadConfig(env);
  if (config.clock) setClock(config.clock);
  const runId = randomUUID().slice(0, 8);
  const log = createLogger(config.logLevel).child({ runId });
  let organisations: Organisation[] | undefined;
  const all = () => (organisations ??= loadOrganisations(env));
  return { config, log, runId, organisations: all, organisation: (name) => selectOrganisation(all(), name) };
}

/**
 * Whether every migration of the folder is recorded as applied. A cheap query that spares the
 * schema engine, and its advisory lock with a 10 s timeout: two commands that start together
 * (a Scheduler run and a manual one) would otherwise fail on that lock instead of the run lock.
 */
async function migrationsUpToDate(db: Database): Promise<boolean> {
  try {
    const rows = await db.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return loadMigrationsList().migrationDirectories.every((d) => applied.has(d.path));
  } catch {
    return false; // no _prisma_migrations yet: a new database
  }
}

/**
 * Open the configured database, apply pending migrations, run `work`, and always close it.
 * `work` also gets the names of the migrations applied now (none on an up-to-date database).
 * `runLock`: the command is a run (the daily job, a backfill) that takes the run lock; on the
 * embedded database it then stops at once (or after `waitMs`) when another run has the folder.
 */
export async function withDatabase<T>(
  context: CliContext,
  work: (db: Database, applied: string[]) => Promise<T>,
  options: { runLock?: { waitMs: number } } = {},
): Promise<T> {
  const db = await openDatabase({
    databaseUrl: context.config.databaseUrl,
    dataDir: context.config.dataDir,
    warn: (message) => context.log.warn(message),
    ...(options.runLock ? { runLock: { waitMs: options.runLock.waitMs, onWait: () => context.log.info("another run holds the lock; waiting") } } : {}),
  });
  try {
    const applied = (await migrationsUpToDate(db)) ? [] : await migrateDatabase(db);
    if (applied.length > 0) context.log.info({ applied, database: db.describe }, "applied migrations");
    return await work(db, applied);
  } finally {
    await db.close();
  }
}

/** Print a value as one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
