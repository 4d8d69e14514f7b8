/**
 * Opening the database: the embedded PGlite under KANSA_DATA_DIR when DATABASE_URL is unset,
 * a PostgreSQL server through node-postgres when it is set. Both are reached through Prisma
 * driver adapters; `raw` exposes the driver for bulk SQL where Prisma would be slow.
 * Call `close()` on every exit path.
 */
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { PrismaClient } from "./generated/client.ts";
import { KansaError, StoreError, errorMessage } from "../core/errors.ts";
import { acquireDirectoryLock } from "./directory-lock.ts";
import {
  PGLITE_MIN_FREE_BYTES,
  PGLITE_OPEN_FREE_BYTES,
  diskFullError,
  folderInUseError,
  foreignHolders,
  freeBytes,
  giveBackFolder,
  inUsePath,
  takeFolder,
} from "./embedded-folder.ts";
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
   * way in. Throws the driver's error (`code` 23505 when a row breaks a unique key). `rows` as
   * text, or as its UTF-8 bytes.
   */
  copyIn(target: string, rows: string | Uint8Array<ArrayBuffer>): Promise<void>;
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
  /** Told what kansa did about the embedded folder that the user should know (a folder set aside). */
  warn?: (message: string) => void;
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
  return openPglite(options.inMemory ? null : options.dataDir, options.runLock, options.warn ?? ((message) => process.emitWarning(message)));
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

/** How long a program found in the folder at open may take to go before kansa refuses. */
const HOLDER_GRACE_MS = 2_000;

/**
 * Whether an error from PGlite leaves it unusable, so that no further query may be sent: a PANIC
 * or FATAL (PostgreSQL's backend is gone; PGlite then never answers again), a trap of its
 * WebAssembly ("Aborted()", "unreachable"), or insufficient resources (SQLSTATE class 53, such
 * as 53100 disk_full, and the file system's ENOSPC): the next write would likely PANIC.
 */
function stopsDatabase(error: unknown): boolean {
  if (error instanceof WebAssembly.RuntimeError) return true;
  const e = error as { severity?: unknown; code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== "object") return false;
  if (e.severity === "PANIC" || e.severity === "FATAL") return true;
  if (typeof e.code === "string" && (e.code.startsWith("53") || e.code === "ENOSPC")) return true;
  return typeof e.message === "string" && /No space left on device|ENOSPC|Aborted\(\)/.test(e.message);
}

async function openPglite(dataDir: string | null, runLock: OpenOptions["runLock"], warn: (message: string) => void): Promise<Database> {
  if (dataDir === null) return pgliteDatabase(await PGlite.create(pgliteOptions()), "embedded (in memory)");
  const home = resolve(dataDir, "pglite");
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOSPC") throw diskFullError(home, freeBytes(dataDir), { ranOut: error });
    throw error;
  }
  const describe = `embedded ${home}`;
  const open = inUsePath(home);
  // The disk of the database folder (it may be a link to another disk than KANSA_DATA_DIR's).
  const freeSpace = () => freeBytes([open, home].find((path) => existsSync(path)) ?? dataDir);
  // Refuse a disk too full to open on, before PGlite aborts on it (and before the lock file).
  const free = freeSpace();
  if (free !== null && free < PGLITE_OPEN_FREE_BYTES) throw diskFullError(home, free, { needed: PGLITE_OPEN_FREE_BYTES });
  // PGlite is one process's database: a second process opening the same folder would corrupt it.
  // A run finding the folder in another run's hands stops (or waits up to its --wait), as the
  // run lock makes it do on PostgreSQL; it waits for any other owner like every command does.
  let waitSaid = false;
  const releaseLock = await acquireDirectoryLock(resolve(dataDir, "kansa.lock"), `the embedded database at ${home}`, {
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
  // kansa's lock keeps other kansa processes out; another program (a script or a server using
  // PGlite on this folder) does not know it. One that has the folder open now is refused; one
  // that opens it later finds no database there (see ./embedded-folder.ts). A kansa whose
  // database stopped (see pgliteDatabase's close) lets go of the lock with its files still open
  // until it exits a moment later: give a holder that long to go.
  const holdersNow = () => [home, open].filter((path) => existsSync(path)).flatMap((path) => foreignHolders(path));
  let holders = holdersNow();
  for (let waited = 0; holders.length > 0 && waited < HOLDER_GRACE_MS; waited += 250) {
    await sleep(250);
    holders = holdersNow();
  }
  if (holders.length > 0) {
    await releaseLock();
    throw folderInUseError(home, holders);
  }
  let client: PGlite;
  try {
    takeFolder(home, warn);
    client = await PGlite.create(open, pgliteOptions());
  } catch (error) {
    if (existsSync(open)) giveBackFolder(home, warn);
    await releaseLock();
    const free = freeSpace();
    if (free !== null && free < PGLITE_OPEN_FREE_BYTES) throw diskFullError(home, free, { ranOut: error });
    throw new StoreError(`Could not open the embedded database in ${home}: ${errorMessage(error)}`, { cause: error });
  }
  const release = async (): Promise<void> => {
    giveBackFolder(home, warn);
    await releaseLock();
  };
  return pgliteDatabase(client, describe, { release, dataDir: open, folder: home });
}

/** String parameters (characters) from which a query counts as a bulk write (free space is checked first). */
const BULK_PARAM_CHARS = 64 * 1024;

/** Bulk input (characters) after which PGlite is checkpointed (see pgliteDatabase). */
const PGLITE_CHECKPOINT_CHARS = 64 * 1024 * 1024;

export interface PgliteOptions {
  /** Runs after the client is closed (releases the data folder's lock). */
  release?: () => Promise<void>;
  /** Bulk input (characters) between checkpoints; default PGLITE_CHECKPOINT_CHARS. */
  checkpointChars?: number;
  /** The folder PGlite has open on disk (none in memory): its free space is checked before bulk writes. */
  dataDir?: string;
  /** The folder as the user knows it, named in errors (default: dataDir). */
  folder?: string;
  /** Free space (bytes) to keep before a bulk write; default PGLITE_MIN_FREE_BYTES. */
  minFreeBytes?: number;
}

/**
 * `client` with every query, exec and transaction (the transaction's own queries too) passing
 * through `guard`: it refuses to start one once the database is stopped, and classifies errors.
 */
function guardedClient<T extends object>(client: T, guard: <R>(work: () => Promise<R>) => Promise<R>): T {
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const fn = value as (...args: unknown[]) => Promise<unknown>;
      if (prop === "query" || prop === "exec" || prop === "sql") return (...args: unknown[]) => guard(() => fn.apply(target, args));
      if (prop === "transaction") {
        return (callback: (tx: object) => Promise<unknown>, ...rest: unknown[]) =>
          guard(() => fn.call(target, (tx: object) => callback(guardedClient(tx, guard)), ...rest));
      }
      return fn.bind(target);
    },
  });
}

/** kansa's Database over an open PGlite client. */
export function pgliteDatabase(rawClient: PGlite, describe: string, options: PgliteOptions = {}): Database {
  const checkpointChars = options.checkpointChars ?? PGLITE_CHECKPOINT_CHARS;
  const dataDir = options.dataDir;
  const folder = options.folder ?? dataDir;
  const minFree = options.minFreeBytes ?? PGLITE_MIN_FREE_BYTES;
  // The error that stopped the database: once set, nothing more is sent to PGlite (after a PANIC
  // it would never answer), every call fails with it at once, and close() leaves PGlite as a
  // crash would (see close).
  let stopped: StoreError | null = null;
  const guard = async <R,>(work: () => Promise<R>): Promise<R> => {
    if (stopped) throw stopped;
    try {
      return await work();
    } catch (error) {
      if (stopped) throw stopped;
      if (!stopsDatabase(error)) throw error;
      const free = dataDir === undefined ? null : freeBytes(dataDir);
      const diskFull =
        (error as { code?: unknown }).code === "53100" || /No space left on device|ENOSPC/.test(errorMessage(error)) || (free !== null && free < PGLITE_OPEN_FREE_BYTES);
      stopped = diskFull
        ? diskFullError(folder ?? dataDir ?? describe, free, { ranOut: error })
        : new StoreError(`The ${describe} database stopped: ${errorMessage(error)}. kansa stopped at once; the transaction in progress was rolled back. Run the command again.`, { cause: error });
      throw stopped;
    }
  };
  const client = guardedClient(rawClient, guard);
  // Before a bulk write of about `chars` characters: is there room for it?
  const beforeBulkWrite = (chars: number): void => {
    if (stopped) throw stopped;
    if (dataDir === undefined) return;
    // Stored rows, their indexes and their WAL take a few times the input's size.
    const needed = minFree + 4 * chars;
    const free = freeBytes(dataDir);
    if (free !== null && free < needed) throw diskFullError(folder ?? dataDir, free, { needed });
  };
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
      let chars = 0;
      for (const p of params) if (typeof p === "string") chars += p.length;
      if (chars >= BULK_PARAM_CHARS) beforeBulkWrite(chars);
      const { rows } = await client.query<T>(sql, params);
      await wrote(chars);
      return rows;
    },
    // PGlite reads COPY's input from the blob given with the query, named /dev/blob.
    copyIn: async (target: string, rows: string | Uint8Array<ArrayBuffer>) => {
      beforeBulkWrite(rows.length);
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
      // A stopped database is left as a crash leaves it: closing writes a shutdown checkpoint,
      // which on a full disk runs out again, after a PANIC never returns, and beside another
      // program would write over its files. Committed work is in the WAL, and PostgreSQL's
      // recovery replays it at the next open.
      if (!stopped && !rawClient.closed) await rawClient.close();
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
    copyIn: async (target: string, rows: string | Uint8Array<ArrayBuffer>) => {
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
