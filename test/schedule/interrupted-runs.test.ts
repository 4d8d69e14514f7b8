/**
 * `kansa status` tells a run whose process is gone from one that is alive: a backfill of the
 * emulated console (real Chromium, a small download cap and a slow console so that it records
 * progress many times) killed with SIGKILL shows as `interrupted`, on the embedded database and
 * on PostgreSQL; on PostgreSQL, where status can run beside it, a live backfill shows `running`.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";
import { generateDataset, type Dataset } from "../../src/tools/generator/index.ts";
import { startConsoleEmulator, type ConsoleEmulator } from "../../src/tools/console-emulator/index.ts";
import { chromiumExecutable } from "../../src/sources/kintone/settings.ts";
import { seededRandom } from "../helpers/seed.ts";
import { ZONE, addDays, childEnv, kansa, todayIn, waitFor, withStore, type Ran } from "./helpers.ts";

const CHROMIUM = chromiumExecutable(process.env.CHROMIUM_PATH);
const chromiumSkip: string | false = CHROMIUM ? false : "Chromium is missing (apt-get install chromium, or set CHROMIUM_PATH): the console cannot be scraped";
const pgSkip = postgresTestSkip();

const USER = "status-admin";
const PASSWORD = "Status-test-pw-17";
const CAP = 250;
const TODAY = todayIn(ZONE);
const FROM = addDays(TODAY, -8);
const TO = addDays(TODAY, -2);

let dir: string;
let dataset: Dataset;
let emulator: ConsoleEmulator;
let pg: TestPostgres | null = null;

before(async () => {
  if (chromiumSkip) return;
  dir = mkdtempSync(join(tmpdir(), "kansa-interrupted-"));
  dataset = generateDataset({ seed: 23, people: 15, from: FROM, to: TO, timezone: ZONE, consolePerDay: 300, auth0PerDay: 0 });
  emulator = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: dataset.consoleRows.map((r) => r.cells), lang: "ja", downloadCap: CAP, switches: { slowMs: 250 } });
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
    KINTONE_HOSTNAME: emulator.url,
    KINTONE_ADMIN_ID: USER,
    KINTONE_ADMIN_PW: PASSWORD,
    KINTONE_TENANT: dataset.organisation.consoleHost,
    KINTONE_DOWNLOAD_CAP: String(CAP),
    CHROMIUM_PATH: CHROMIUM!,
    LOG_LEVEL: "info",
  });
}

interface ShownRun { id: number; kind: string; status: string; finishedAt: string | null }

async function shownBackfill(e: NodeJS.ProcessEnv): Promise<ShownRun | undefined> {
  const ran = await kansa(["status", "--json"], e);
  assert.equal(ran.code, 0, ran.stderr.slice(-2000));
  return (JSON.parse(ran.stdout) as { lastRuns: ShownRun[] }).lastRuns.find((r) => r.kind === "backfill");
}

/** Start a backfill of FROM..TO; resolves once it has logged progress `steps` times (it is mid-way), with its end. */
async function startBackfill(e: NodeJS.ProcessEnv, steps: number): Promise<{ child: ChildProcess; done: Promise<Ran> }> {
  let child!: ChildProcess;
  let progress = 0;
  const done = kansa(["backfill", "--from", FROM, "--to", TO], e, (c) => {
    child = c;
    c.stderr!.on("data", (d: Buffer) => (progress += d.toString().split("backfill progress").length - 1));
  });
  await waitFor(() => progress >= steps || child.exitCode !== null, 300_000, "the backfill to record progress");
  assert.equal(child.exitCode, null, "the backfill is mid-way");
  return { child, done };
}

const databases = [
  { name: "embedded database (PGlite)", skip: chromiumSkip },
  { name: "PostgreSQL", skip: chromiumSkip || pgSkip },
];

for (const database of databases) {
  test(`${database.name}: a backfill killed with SIGKILL shows as interrupted in kansa status`, { skip: database.skip, timeout: 900_000 }, async (t) => {
    // Killed after 1 to 3 progress steps (from the seed): the week has many more (a part per 250 rows).
    const { random, seed } = seededRandom(t, import.meta.filename);
    const steps = random.int(1, 3);
    const when = `${seed}: killed after ${steps} progress step(s)`;
    const dataDir = join(dir, database.name.split(" ")[0]!);
    const store = database.name === "PostgreSQL" ? { dataDir, databaseUrl: await pg!.createDatabase() } : { dataDir };
    const e = env(store);
    const { child, done } = await startBackfill(e, steps);
    if (store.databaseUrl) {
      // Beside a live backfill, status says it is running (its process holds the run's lock).
      const live = await shownBackfill(e);
      assert.equal(live?.status, "running", JSON.stringify(live));
      assert.equal(child.exitCode, null, "still going after status read it");
    }
    child.kill("SIGKILL");
    const killed = await done;
    assert.equal(killed.signal, "SIGKILL", `${when}: ${killed.stderr.slice(-2000)}`);

    const shown = await shownBackfill(e);
    assert.equal(shown?.status, "interrupted", `${when}: status of the killed backfill: ${JSON.stringify(shown)}`);
    assert.equal(shown?.finishedAt, null, "it never finished");
    const text = await kansa(["status"], e);
    assert.match(text.stdout, /backfill\s+interrupted\s+started/);
    // Marked so in the table: the next reader need not judge again.
    const row = await withStore(store, (db) => db.prisma.run.findUniqueOrThrow({ where: { id: shown!.id } }));
    assert.equal(row.status, "interrupted");
    assert.match(JSON.stringify(row.errors), /ended before this run finished/);
  });
}
