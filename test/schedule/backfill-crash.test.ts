/**
 * A backfill killed with SIGKILL at points drawn from the run's seed, then run again, loses nothing
 * and stores nothing twice (a failure prints the seed; KANSA_TEST_SEED=<seed> repeats the points):
 * against the emulated console (real Chromium, a small download cap so that the week is fetched in
 * many parts, each recorded as progress in the Run row) and against the emulated Auth0 API, with a
 * real PostgreSQL so that the test reads the Run table while the backfill runs.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { DateTime } from "luxon";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";
import { generateDataset, writeSample, type Dataset, type SampleResult } from "../../src/tools/generator/index.ts";
import { startConsoleEmulator } from "../../src/tools/console-emulator/index.ts";
import { startAuth0Emulator } from "../../src/tools/auth0-emulator/index.ts";
import { chromiumExecutable } from "../../src/sources/kintone/settings.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import type { Database } from "../../src/store/database.ts";
import type { Random } from "../../src/tools/generator/random.ts";
import { seededRandom } from "../helpers/seed.ts";
import { ZONE, addDays, childEnv, kansa, todayIn, withStore, type Ran } from "./helpers.ts";

const CHROMIUM = chromiumExecutable(process.env.CHROMIUM_PATH);
const pgSkip = postgresTestSkip();
const consoleSkip: string | false = pgSkip || (CHROMIUM ? false : "Chromium is missing (apt-get install chromium, or set CHROMIUM_PATH): the console cannot be scraped");

const USER = "crash-admin";
const PASSWORD = "Crash-test-pw-42";
const SECRET = "crash-auth0-secret-8";
const CAP = 250;

const TODAY = todayIn(ZONE);
const FROM = addDays(TODAY, -9);
const TO = addDays(TODAY, -3);

let dir: string;
let pg: TestPostgres | null = null;
let dataset: Dataset;
let sample: SampleResult;

before(async () => {
  if (pgSkip) return;
  dir = mkdtempSync(join(tmpdir(), "kansa-crash-"));
  pg = await startPostgres();
  dataset = generateDataset({ seed: 29, people: 20, from: FROM, to: TO, timezone: ZONE, consolePerDay: 300, auth0PerDay: 300 });
  sample = await writeSample(join(dir, "sample"), { dataset, lang: "ja" });
});

after(async () => {
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function migratedDatabase(): Promise<string> {
  const url = await pg!.createDatabase();
  await withStore({ databaseUrl: url }, async (db) => void (await migrateDatabase(db)));
  return url;
}

/** The stored external ids of `source`, sorted, with the number of rows. */
async function storedIds(db: Database, source: string): Promise<{ rows: number; ids: string[] }> {
  const rows = await db.query<{ externalId: string }>(`SELECT "externalId" FROM "AuditEvent" WHERE source = $1 ORDER BY "externalId"`, [source]);
  return { rows: rows.length, ids: [...new Set(rows.map((r) => r.externalId))] };
}

/** The progress the latest backfill run recorded for `key`, or null. */
async function recordedProgress(db: Database, key: string): Promise<string | null> {
  const run = await db.prisma.run.findFirst({ where: { kind: "backfill" }, orderBy: { id: "desc" } });
  const progress = (run?.stats as { progress?: Record<string, string> } | undefined)?.progress;
  return progress?.[key] ?? null;
}

/**
 * Start `kansa backfill` and SIGKILL it once `ready()` holds, after a further delay drawn from
 * `random` (the test's seed); resolves with what it printed (it must have been killed, not finished).
 */
function killDuring(env: NodeJS.ProcessEnv, ready: () => Promise<boolean>, random: Random, maxDelayMs: number): Promise<{ ran: Ran; delay: number }> {
  const delay = random.int(0, maxDelayMs);
  let child: ChildProcess | undefined;
  const watcher = async () => {
    const deadline = Date.now() + 600_000;
    while (Date.now() < deadline && child?.exitCode === null) {
      if (await ready().catch(() => false)) {
        await new Promise((r) => setTimeout(r, delay));
        child.kill("SIGKILL");
        return;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  return kansa(["backfill", "--from", FROM, "--to", TO], env, (c) => {
    child = c;
    void watcher();
  }).then((ran) => ({ ran, delay }));
}

test("a console backfill killed (SIGKILL) twice at random points, then rerun: every row of the range stored exactly once, and it says it resumed", { skip: consoleSkip, timeout: 1_800_000 }, async (t) => {
  const { random, seed } = seededRandom(t, import.meta.filename);
  const emulator = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: dataset.consoleRows.map((r) => r.cells), lang: "ja", downloadCap: CAP, switches: { slowMs: 250 } });
  const url = await migratedDatabase();
  const tenant = dataset.organisation.consoleHost;
  const key = `kintone:${tenant}`;
  const env = childEnv({
    DATABASE_URL: url,
    KANSA_DATA_DIR: join(dir, "console-artifacts"),
    KINTONE_HOSTNAME: emulator.url,
    KINTONE_ADMIN_ID: USER,
    KINTONE_ADMIN_PW: PASSWORD,
    KINTONE_TENANT: tenant,
    KINTONE_DOWNLOAD_CAP: String(CAP),
    CHROMIUM_PATH: CHROMIUM!,
    LOG_LEVEL: "info",
  });
  const rangeEnd = DateTime.fromISO(TO, { zone: ZONE }).plus({ days: 1 }).toUTC().toISO();
  try {
    await withStore({ databaseUrl: url }, async (db) => {
      const kills: string[] = [seed];
      let last: string | null = null;
      for (let attempt = 0; attempt < 2; attempt++) {
        const before = last;
        const { ran, delay } = await killDuring(env, async () => {
          const now = await recordedProgress(db, key);
          return now !== null && now !== before;
        }, random, 1500);
        kills.push(`attempt ${attempt + 1}: killed ${delay} ms after new progress`);
        assert.equal(ran.signal, "SIGKILL", `the backfill was killed before it finished (${kills.join("; ")}): ${ran.stderr.slice(-2000)}`);
        last = await recordedProgress(db, key);
        assert.ok(last !== null, `progress was recorded before the kill (${kills.join("; ")})`);
        assert.ok(new Date(last) < new Date(rangeEnd!), `the kill came before the end of the range (${kills.join("; ")}; progress ${last})`);
        if (before !== null) assert.ok(new Date(last) > new Date(before), "the rerun resumed and went further");
      }
      const partial = await storedIds(db, "kintone");
      assert.ok(partial.rows > 0 && partial.rows < dataset.consoleRows.length, `a part was stored before the kills (${kills.join("; ")}): ${partial.rows}`);
      assert.equal(partial.rows, partial.ids.length, `no duplicate after two kills (${kills.join("; ")})`);

      const runs = await db.prisma.run.findMany({ where: { kind: "backfill" } });
      assert.equal(runs.length, 2);
      assert.ok(runs.every((r) => r.status === "running"), "the killed runs never finished");

      emulator.switches.slowMs = 0;
      const done = await kansa(["backfill", "--from", FROM, "--to", TO], { ...env, LOG_LEVEL: "warn" });
      assert.equal(done.code, 0, done.stderr.slice(-3000));
      assert.match(done.stdout, new RegExp(`${key.replaceAll(".", "\\.")}: resumed an unfinished backfill at ${last!.replaceAll(".", "\\.")}`), done.stdout);
      assert.match(done.stdout, /Backfilled/);

      const stored = await storedIds(db, "kintone");
      assert.equal(stored.rows, dataset.consoleRows.length, `every console row of the range (${kills.join("; ")})`);
      assert.equal(stored.ids.length, stored.rows, "each exactly once");

      const importedUrl = await pg!.createDatabase();
      const imported = await kansa(["import", ...sample.consoleFiles], childEnv({ DATABASE_URL: importedUrl, KINTONE_TENANT: tenant }));
      assert.equal(imported.code, 0, imported.stderr.slice(-2000));
      const fromFiles = await withStore({ databaseUrl: importedUrl }, (other) => storedIds(other, "kintone"));
      assert.deepEqual(stored.ids, fromFiles.ids, "the same external ids as importing the range's CSV");

      const finished = await db.prisma.run.findFirst({ where: { kind: "backfill" }, orderBy: { id: "desc" } });
      assert.equal(finished?.status, "ok");
      assert.equal((finished?.stats as { progress?: Record<string, string> }).progress?.[key], rangeEnd, "the last run records the whole range done");

      // Once completed, the range is not "resumed" from the killed runs again: a new backfill
      // of it starts afresh and finds everything stored.
      const again = await kansa(["backfill", "--from", FROM, "--to", TO, "--json"], { ...env, LOG_LEVEL: "warn" });
      assert.equal(again.code, 0, again.stderr.slice(-3000));
      const result = JSON.parse(again.stdout) as { resumed: Record<string, string>; results: Array<{ source: string; collected: number; stored: number; duplicates: number }> };
      assert.deepEqual(result.resumed, {}, "nothing to resume after a completed backfill");
      const kintone = result.results.find((r) => r.source === "kintone")!;
      assert.equal(kintone.collected, dataset.consoleRows.length, "the whole range read again");
      assert.equal(kintone.stored, 0);
      assert.equal(kintone.duplicates, dataset.consoleRows.length);
      assert.equal((await storedIds(db, "kintone")).rows, dataset.consoleRows.length);
    });
  } finally {
    await emulator.close();
  }
});

test("an Auth0 backfill killed (SIGKILL) at a random moment, then rerun: nothing lost or duplicated", { skip: pgSkip, timeout: 900_000 }, async (t) => {
  const { random, seed } = seededRandom(t, import.meta.filename);
  const emulator = await startAuth0Emulator({ events: dataset.auth0Events, retentionDays: null, rate: "off", clientSecret: SECRET, faults: { slowMs: 120 } });
  const url = await migratedDatabase();
  const env = childEnv({
    DATABASE_URL: url,
    KANSA_DATA_DIR: join(dir, "auth0-artifacts"),
    AUTH0_DOMAIN: emulator.url,
    AUTH0_CLIENT_ID: emulator.clientId,
    AUTH0_CLIENT_SECRET: SECRET,
    AUTH0_TENANT: "crash.auth0.com",
    AUTH0_RETENTION_DAYS: "30",
  });
  const total = dataset.auth0Events.length;
  assert.ok(total > 1000, `enough pages to kill in between: ${total}`);
  try {
    const startPages = emulator.stats.pages;
    const threshold = startPages + random.int(3, 10);
    const { ran, delay } = await killDuring(env, async () => emulator.stats.pages >= threshold, random, 400);
    const when = `${seed}: killed ${delay} ms after page ${threshold - startPages}`;
    assert.equal(ran.signal, "SIGKILL", `${when}: ${ran.stderr.slice(-2000)}`);
    const partial = await withStore({ databaseUrl: url }, (db) => storedIds(db, "auth0"));
    assert.ok(partial.rows > 0 && partial.rows < total, `${when}: stored before the kill ${partial.rows} of ${total}`);
    assert.equal(partial.rows, partial.ids.length);

    emulator.faults.slowMs = 0;
    const done = await kansa(["backfill", "--from", FROM, "--to", TO, "--json"], env);
    assert.equal(done.code, 0, done.stderr.slice(-3000));
    const result = JSON.parse(done.stdout) as { results: Array<{ source: string; stored: number; duplicates: number; errors: string[] }> };
    const auth0 = result.results.find((r) => r.source === "auth0")!;
    assert.deepEqual(auth0.errors, []);
    assert.equal(partial.rows + auth0.stored, total, `${when}: the rerun stored exactly what was missing`);
    assert.ok(auth0.duplicates <= 100, `at most the page stored but not yet marked was read again: ${auth0.duplicates}`);
    const stored = await withStore({ databaseUrl: url }, (db) => storedIds(db, "auth0"));
    assert.equal(stored.rows, total, `${when}: nothing lost`);
    assert.equal(stored.ids.length, total, "nothing duplicated");
    assert.deepEqual(stored.ids, dataset.auth0Events.map((e) => e.log_id).sort(), "exactly the tenant's log ids");
  } finally {
    await emulator.close();
  }
});
