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
import { KansaError, StoreError } from "../core/errors.ts";
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
   * another process (or another caller in this one) holds it. On the embedded database, which is
   * one process's at a time, the lock is this process's own.
   */
  tryLock(name: string): Promise<(() => Promise<void>) | null>;
  /** Whether anyone (this process included) holds the named lock now. */
  isLocked(name: string): Promise<boolean>;
  /** The adapter factory (used by the schema engine for migrations). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Open PGlite in memory instead of on disk (tests). */
  inMemory?: boolean;
  /**
   * The opener is a run (the daily job, a backfill) and will take the run lock. The embedded
   * database is one process's at a time, so there a run cannot wait for the run lock like on
   * PostgreSQL: it stops at the folder instead, with the same E_LOCKED error, as soon as the
   * folder's owner is a run (after `waitMs` when given), while other commands wait for the
   * folder. Ignored on PostgreSQL, where the run lock is an advisory lock taken later.
   */
  runLock?: { waitMs: number; onWait?: () => void };
}

/** The error of a run that finds another run holding the run lock (on either database). */
export function runInProgressError(describe: string): KansaError {
  return new KansaError("E_LOCKED", `Another kansa run is in progress on ${describe}; this one stops without doing anything. Try again when it has finished.`);
}

/** How long a command waits for the embedded database's folder while another process has it. */
const FOLDER_WAIT_MS = 30_000;

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
  return openPglite(options.inMemory ? null : options.dataDir, options.runLock);
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

async function openPglite(dataDir: string | null, runLock: OpenOptions["runLock"]): Promise<Database> {
  let client: PGlite;
  let describe = "embedded (in memory)";
  let releaseDirectory = async (): Promise<void> => undefined;
  if (dataDir === null) {
    client = await PGlite.create(pgliteOptions());
  } else {
    const dir = resolve(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    describe = `embedded ${dir}`;
    // PGlite is one process's database: a second process opening the same folder would corrupt it.
    // A run finding the folder in another run's hands stops (or waits up to its --wait), as the
    // run lock makes it do on PostgreSQL; it waits for any other owner like every command does.
    let waitSaid = false;
    releaseDirectory = await acquireDirectoryLock(resolve(dataDir, "kansa.lock"), `the embedded database at ${dir}`, {
      doing: runLock ? "run" : "command",
      waitMs: Math.max(FOLDER_WAIT_MS, runLock?.waitMs ?? 0),
      ...(runLock
        ? {
            onBusy: (owner, waitedMs) => {
              if (owner.doing !== "run") return;
              if (waitedMs >= runLock.waitMs) throw runInProgressError(describe);
              if (!waitSaid) runLock.onWait?.();
              waitSaid = true;
            },
          }
        : {}),
    });
    try {
      client = await PGlite.create(dir, pgliteOptions());
    } catch (error) {
      await releaseDirectory();
      throw new StoreError(`Could not open the embedded database in ${dir}: ${(error as Error).message}`, { cause: error });
    }
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
  const heldLocks = new Set<string>();
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
    // The folder is this process's alone, so its locks are kept here.
    tryLock: async (name: string) => {
      if (heldLocks.has(name)) return null;
      heldLocks.add(name);
      return async () => void heldLocks.delete(name);
    },
    isLocked: async (name: string) => heldLocks.has(name),
    close: async () => {
      heldLocks.clear();
      await prisma.$disconnect();
      if (!client.closed) await client.close();
      await options.release?.();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 5 });
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
  // Session-level advisory locks belong to one connection, which ends (and lets go of them) when
  // the process does, however it ends. This process's locks (the run lock, each run's own lock)
  // are all taken on one connection held from the first lock to close().
  let session: Promise<pg.PoolClient> | null = null;
  let closed = false;
  const heldLocks = new Set<string>();
  const lockSession = (): Promise<pg.PoolClient> =>
    (session ??= pool.connect().then(
      (client) => {
        // A dropped connection has let go of its locks; the next lock takes a new one.
        client.on("error", () => void (session = null));
        return client;
      },
      (error: unknown) => {
        session = null;
        throw error;
      },
    ));
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
      if (heldLocks.has(name)) return null; // session locks nest: a second caller here must not get it again
      heldLocks.add(name);
      let client: pg.PoolClient;
      try {
        client = await lockSession();
        const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [name]);
        if (!rows[0]?.ok) {
          heldLocks.delete(name);
          return null;
        }
      } catch (error) {
        heldLocks.delete(name);
        throw error;
      }
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        heldLocks.delete(name);
        // A connection that dropped meanwhile has let go of the lock already.
        if (!closed) await client.query("SELECT pg_advisory_unlock(hashtext($1))", [name]).catch(() => undefined);
      };
    },
    isLocked: async (name: string) => {
      if (heldLocks.has(name)) return true;
      const probe = await pool.connect();
      try {
        const { rows } = await probe.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [name]);
        if (!rows[0]?.ok) return true;
        await probe.query("SELECT pg_advisory_unlock(hashtext($1))", [name]);
        return false;
      } finally {
        probe.release();
      }
    },
    close: async () => {
      closed = true;
      heldLocks.clear();
      // Ending the session lets go of every lock it still holds (pool.end() would wait for it).
      const held = session;
      session = null;
      if (held) (await held.catch(() => null))?.release(true);
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
