/**
 * Opening the database: the embedded PGlite under KANSA_DATA_DIR when DATABASE_URL is unset,
 * a PostgreSQL server through node-postgres when it is set. Both are reached through Prisma
 * driver adapters; `raw` exposes the driver for bulk SQL where Prisma would be slow.
 * Call `close()` on every exit path.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PrismaClient } from "./generated/client.ts";
import { StoreError } from "../core/errors.ts";
import { acquireDirectoryLock } from "./directory-lock.ts";
import { withWholeScripts } from "./whole-scripts.ts";
import { redactSecrets } from "../core/secrets.ts";

export type Prisma = InstanceType<typeof PrismaClient>;

/** Run one SQL statement with positional parameters ($1, $2...), returning rows. */
export type RawQuery = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

export interface Database {
  prisma: Prisma;
  kind: "pglite" | "postgres";
  /** Where the data is: the embedded folder, or the server's host/database (never its password). */
  describe: string;
  /** Driver-level query, bypassing Prisma (bulk inserts, advisory locks). */
  query: RawQuery;
  /**
   * Load rows given in COPY's text format (tab-separated, `\N` for null, one row per line) into
   * `target`, e.g. `"AuditEvent" ("source", ...)`: one atomic statement, PostgreSQL's fastest
   * way in. Throws the driver's error (`code` 23505 when a row breaks a unique key).
   */
  copyIn(target: string, rows: string): Promise<void>;
  /**
   * Take the named advisory lock if it is free: returns its release function, or null when
   * another process holds it. (The embedded database is already exclusive to one process.)
   */
  tryLock(name: string): Promise<(() => Promise<void>) | null>;
  /** The adapter factory (used by the schema engine for migrations). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Open PGlite in memory instead of on disk (tests). */
  inMemory?: boolean;
}

/** Describe a postgres URL without its credentials. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres ${u.hostname || "localhost"}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "postgres (unparsable URL)";
  }
}

/** Open the database named by the options. Does not migrate (see ./migrate.ts). */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.inMemory ? null : options.dataDir);
}

/**
 * PGlite's PostgreSQL settings: its own defaults, with shared_buffers at 48 MB instead of 128 MB.
 * PostgreSQL allocates its shared buffers inside PGlite's WebAssembly memory, which is never
 * given back, so all of them count in the process's RSS. On a million-event import (bench
 * import) 48 MB stored as fast as 128 MB (118 against 116 CPU-seconds) and took about 90 MB
 * less; pages beyond them come back from the operating system's file cache.
 */
export const PGLITE_SHARED_BUFFERS = "48MB";
/** The options every embedded database is created with (the tests' too). */
export const pgliteOptions = () => ({ startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`] });

async function openPglite(dataDir: string | null): Promise<Database> {
  let client: PGlite;
  let describe = "embedded (in memory)";
  let releaseDirectory = async (): Promise<void> => undefined;
  if (dataDir === null) {
    client = await PGlite.create(pgliteOptions());
  } else {
    const dir = resolve(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    // PGlite is one process's database: a second process opening the same folder would corrupt it.
    releaseDirectory = await acquireDirectoryLock(resolve(dataDir, "kansa.lock"), `the embedded database at ${dir}`);
    try {
      client = await PGlite.create(dir, pgliteOptions());
    } catch (error) {
      await releaseDirectory();
      throw new StoreError(`Could not open the embedded database in ${dir}: ${(error as Error).message}`, { cause: error });
    }
    describe = `embedded ${dir}`;
  }
  return pgliteDatabase(client, describe, { release: releaseDirectory });
}

/** Bulk input (characters) after which PGlite is checkpointed (see pgliteDatabase). */
const PGLITE_CHECKPOINT_CHARS = 64 * 1024 * 1024;

export interface PgliteOptions {
  /** Runs after the client is closed (releases the data folder's lock). */
  release?: () => Promise<void>;
  /** Bulk input (characters) between checkpoints; default PGLITE_CHECKPOINT_CHARS. */
  checkpointChars?: number;
}

/** kansa's Database over an open PGlite client. */
export function pgliteDatabase(client: PGlite, describe: string, options: PgliteOptions = {}): Database {
  const checkpointChars = options.checkpointChars ?? PGLITE_CHECKPOINT_CHARS;
  const adapterFactory = withWholeScripts(new PrismaPGlite(client), (script) => client.exec(script));
  const prisma = new PrismaClient({ adapter: adapterFactory });
  // PGlite is PostgreSQL in single-user mode: no checkpointer process recycles the WAL, and a
  // long import that never checkpoints fills it and stalls. Bulk input (COPY rows, large string
  // parameters) is counted, and a checkpoint taken after every `checkpointChars` of it.
  let sinceCheckpoint = 0;
  const wrote = async (chars: number): Promise<void> => {
    sinceCheckpoint += chars;
    if (sinceCheckpoint < checkpointChars) return;
    sinceCheckpoint = 0;
    await client.query("CHECKPOINT");
  };
  return {
    prisma,
    kind: "pglite",
    describe,
    adapterFactory,
    query: async <T,>(sql: string, params: unknown[] = []) => {
      const { rows } = await client.query<T>(sql, params);
      for (const p of params) if (typeof p === "string") await wrote(p.length);
      return rows;
    },
    // PGlite reads COPY's input from the blob given with the query, named /dev/blob.
    copyIn: async (target: string, rows: string) => {
      await client.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new Blob([rows]) });
      await wrote(rows.length);
    },
    tryLock: async () => async () => undefined,
    close: async () => {
      await prisma.$disconnect();
      if (!client.closed) await client.close();
      await options.release?.();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on("error", () => {
    // An idle client's connection dropped; the next query reconnects or reports it.
  });
  try {
    const c = await pool.connect();
    c.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreError(`Could not connect to ${describeDatabaseUrl(url)}: ${redactSecrets((error as Error).message)}`, { cause: error });
  }
  const adapterFactory = withWholeScripts(new PrismaPg(url), (script) => pool.query(script));
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    kind: "postgres",
    describe: describeDatabaseUrl(url),
    adapterFactory,
    query: async <T,>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
    copyIn: async (target: string, rows: string) => {
      const client = await pool.connect();
      try {
        await pipeline(Readable.from([rows]), client.query(copyFromStdin(`COPY ${target} FROM STDIN`)));
      } finally {
        client.release();
      }
    },
    tryLock: async (name: string) => {
      // Session-level advisory locks belong to one connection: hold a client until release.
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [name]);
        if (rows[0]?.ok) {
          return async () => {
            try {
              await client.query("SELECT pg_advisory_unlock(hashtext($1))", [name]);
            } finally {
              client.release();
            }
          };
        }
      } catch (error) {
        client.release();
        throw error;
      }
      client.release();
      return null;
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
