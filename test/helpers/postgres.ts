/**
 * A real PostgreSQL for tests: TEST_DATABASE_URL when set, else a throwaway PostgreSQL 15
 * cluster (initdb + pg_ctl from /usr/lib/postgresql/15/bin, or PG_BIN) in a temp folder on a
 * free loopback port, trust auth, run as the `postgres` user when the tests run as root. Each
 * call to `createDatabase()` gives a fresh, empty database on it.
 *
 * When no PostgreSQL is available, `startPostgres()` returns null and the caller skips with
 * `postgresSkipReason`; with KANSA_REQUIRE_POSTGRES=1 (set by .ci/run) it throws instead, so
 * CI cannot pass without testing against a real server.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, chownSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export interface TestPostgres {
  /** URL of the cluster's `postgres` database (or TEST_DATABASE_URL). */
  url: string;
  /** Create a new empty database and return its URL. */
  createDatabase(): Promise<string>;
  /** Stop the cluster and delete its folder (a no-op for TEST_DATABASE_URL). */
  stop(): Promise<void>;
  /** The cluster's data folder (null for TEST_DATABASE_URL), e.g. to read postmaster.pid. */
  dataDir: string | null;
}

export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** Why PostgreSQL tests are skipped here, or null when a server can be had. */
export function postgresSkipReason(): string | null {
  if (process.env.TEST_DATABASE_URL) return null;
  if (!existsSync(join(PG_BIN, "initdb"))) return `no PostgreSQL: ${PG_BIN}/initdb is missing and TEST_DATABASE_URL is unset`;
  if (process.getuid?.() === 0 && spawnSync("id", ["-u", "postgres"]).status !== 0) return "running as root and there is no `postgres` user to run the server as";
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

let counter = 0;

async function createDatabaseOn(url: string): Promise<string> {
  const name = `kansa_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Start (or reach) a PostgreSQL server; null when none is available and it is not required.
 * Always `stop()` it (in an `after` hook).
 */
export async function startPostgres(): Promise<TestPostgres | null> {
  const reason = postgresSkipReason();
  if (reason) {
    if (process.env.KANSA_REQUIRE_POSTGRES === "1") throw new Error(`KANSA_REQUIRE_POSTGRES=1 but ${reason}`);
    return null;
  }
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { url: external, dataDir: null, createDatabase: () => createDatabaseOn(external), stop: async () => undefined };

  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "kansa-pg-"));
  const dataDir = join(dir, "data");
  const asServerUser = (cmd: string, args: string[]) => (root ? run("runuser", ["-u", "postgres", "--", cmd, ...args]) : run(cmd, args));
  if (root) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  let started = false;
  const stopSync = () => {
    if (!started) return;
    started = false;
    const args = [join(PG_BIN, "pg_ctl"), "-D", dataDir, "-m", "immediate", "-w", "stop"];
    if (root) spawnSync("runuser", ["-u", "postgres", "--", ...args], { stdio: "ignore" });
    else spawnSync(args[0]!, args.slice(1), { stdio: "ignore" });
  };
  const onExit = () => {
    stopSync();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  try {
    await asServerUser(join(PG_BIN, "initdb"), ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const options = [
      `-p ${port}`, "-c listen_addresses=127.0.0.1", `-k ${dir}`, "-c fsync=off", "-c synchronous_commit=off",
      "-c full_page_writes=off", "-c max_connections=40", "-c shared_buffers=128MB",
    ].join(" ");
    await asServerUser(join(PG_BIN, "pg_ctl"), ["-D", dataDir, "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"]);
    started = true;
  } catch (error) {
    const log = existsSync(join(dir, "server.log")) ? readFileSync(join(dir, "server.log"), "utf8").slice(-2000) : "";
    onExit();
    process.removeListener("exit", onExit);
    throw new Error(`could not start a throwaway PostgreSQL: ${(error as Error).message}\n${log}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    dataDir,
    createDatabase: () => createDatabaseOn(url),
    stop: async () => {
      process.removeListener("exit", onExit);
      if (started) {
        started = false;
        await asServerUser(join(PG_BIN, "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"]).catch(() => undefined);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The `skip` option for PostgreSQL tests: the reason when no server can be had, else false.
 * With KANSA_REQUIRE_POSTGRES=1 it is always false, so `startPostgres()` fails the test instead.
 */
export function postgresTestSkip(): string | false {
  if (process.env.KANSA_REQUIRE_POSTGRES === "1") return false;
  return postgresSkipReason() ?? false;
}
