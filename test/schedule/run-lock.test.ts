/**
 * Two `kansa run` at once never run the job twice, on the embedded database as on PostgreSQL:
 * the second stops at once with the run lock's sentence (E_LOCKED), or waits for the first with
 * `--wait S` and then runs; a short command (`kansa status`) started during a run waits for it
 * and then answers. The first run is kept busy by a slow emulated Auth0 API.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";
import { generateDataset, type Dataset } from "../../src/tools/generator/index.ts";
import { startAuth0Emulator, type Auth0Emulator } from "../../src/tools/auth0-emulator/index.ts";
import { ZONE, addDays, childEnv, kansa, todayIn, waitFor, withStore, type Ran } from "./helpers.ts";

const SECRET = "run-lock-auth0-secret-3";
const TODAY = todayIn(ZONE);
const pgSkip = postgresTestSkip();

let dir: string;
let dataset: Dataset;
let emulator: Auth0Emulator;
let pg: TestPostgres | null = null;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kansa-run-lock-"));
  // About 1,200 events: a dozen pages of 100, each answered slowly while the test needs it.
  dataset = generateDataset({ seed: 41, people: 12, from: addDays(TODAY, -4), to: addDays(TODAY, -1), timezone: ZONE, consolePerDay: 0, auth0PerDay: 300 });
  emulator = await startAuth0Emulator({ events: dataset.auth0Events, retentionDays: null, rate: "off", clientSecret: SECRET });
  if (!pgSkip) pg = await startPostgres();
});

after(async () => {
  await emulator?.close();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function env(where: { dataDir: string; databaseUrl?: string }): NodeJS.ProcessEnv {
  return childEnv({
    KANSA_DATA_DIR: where.dataDir,
    DATABASE_URL: where.databaseUrl,
    AUTH0_DOMAIN: emulator.url,
    AUTH0_CLIENT_ID: emulator.clientId,
    AUTH0_CLIENT_SECRET: SECRET,
    AUTH0_TENANT: "lock.auth0.com",
    AUTH0_START_DAYS: "10",
  });
}

/**
 * Start a slow `kansa run --no-mail` and resolve once it is inside the job (it has fetched a page
 * of logs), with the promise of its end.
 */
async function startSlowRun(e: NodeJS.ProcessEnv): Promise<{ done: Promise<Ran>; child: ChildProcess }> {
  emulator.faults.slowMs = 1500;
  const pagesBefore = emulator.stats.pages;
  let child!: ChildProcess;
  const done = kansa(["run", "--no-mail"], e, (c) => (child = c));
  await waitFor(() => emulator.stats.pages > pagesBefore || child.exitCode !== null, 120_000, "the first run to fetch a page");
  assert.equal(child.exitCode, null, "the first run is still going");
  return { done, child };
}

interface RunRow { id: number; status: string }

async function runRows(where: { dataDir: string; databaseUrl?: string }): Promise<RunRow[]> {
  return withStore(where, (db) => db.prisma.run.findMany({ where: { kind: "run" }, orderBy: { id: "asc" }, select: { id: true, status: true } }));
}

const databases = [
  { name: "embedded database (PGlite)", skip: false as string | false },
  { name: "PostgreSQL", skip: pgSkip },
];

for (const database of databases) {
  const where = async (name: string): Promise<{ dataDir: string; databaseUrl?: string }> => {
    const dataDir = join(dir, `${database.name.split(" ")[0]}-${name}`);
    return database.skip === false && database.name === "PostgreSQL" ? { dataDir, databaseUrl: await pg!.createDatabase() } : { dataDir };
  };

  test(`${database.name}: a second kansa run while one is under way stops at once with E_LOCKED; the job runs once`, { skip: database.skip, timeout: 600_000 }, async () => {
    const store = await where("refuse");
    const e = env(store);
    const first = await startSlowRun(e);
    if (!store.databaseUrl) {
      const lock = readFileSync(join(store.dataDir, "kansa.lock"), "utf8");
      assert.match(lock, new RegExp(`${first.child.pid}`), "the folder's lock names the first run's process");
    }
    const started = Date.now();
    const second = await kansa(["run", "--no-mail"], e);
    const took = Date.now() - started;
    emulator.faults.slowMs = 0;
    assert.equal(second.code, 1, second.stderr.slice(-2000));
    assert.match(second.stderr, /Another kansa run is in progress on .*; this one stops without doing anything\. Try again when it has finished\. \[E_LOCKED\]/);
    assert.ok(took < 20_000, `the second run stopped at once, not after waiting for the folder: ${took} ms`);
    assert.equal(first.child.exitCode, null, "the first run was still going when the second stopped");
    const one = await first.done;
    assert.equal(one.code, 0, one.stderr.slice(-3000));
    const rows = await runRows(store);
    assert.deepEqual(rows.map((r) => r.status), ["ok"], "the job ran once");
    const status = await kansa(["status", "--json"], e);
    assert.equal(status.code, 0, status.stderr);
    const lastRuns = (JSON.parse(status.stdout) as { lastRuns: Array<{ kind: string; status: string }> }).lastRuns;
    assert.deepEqual(lastRuns.filter((r) => r.kind === "run").map((r) => r.status), ["ok"]);
    if (!store.databaseUrl) assert.equal(existsSync(join(store.dataDir, "kansa.lock")), false, "the folder was released");
  });

  test(`${database.name}: kansa run --wait S waits for the run under way, then runs; kansa status waits for it too`, { skip: database.skip, timeout: 600_000 }, async () => {
    const store = await where("wait");
    const e = env(store);
    const first = await startSlowRun(e);
    const second = kansa(["run", "--no-mail", "--wait", "240"], e);
    const status = kansa(["status", "--json"], e);
    // Both are waiting: the first run is still inside its job.
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal(first.child.exitCode, null, "the first run is still going");
    emulator.faults.slowMs = 0;
    const [one, two, shown] = await Promise.all([first.done, second, status]);
    assert.equal(one.code, 0, one.stderr.slice(-3000));
    assert.equal(two.code, 0, `the waiting run ran after the first: ${two.stderr.slice(-3000)}`);
    assert.equal(shown.code, 0, `kansa status waited for the folder: ${shown.stderr.slice(-2000)}`);
    const rows = await runRows(store);
    assert.deepEqual(rows.map((r) => r.status), ["ok", "ok"], "one after the other, never together");
  });
}
