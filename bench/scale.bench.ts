/**
 * A large organisation (issue 25): `npm run bench -- scale [--people N] [--db postgres|pglite]`.
 *
 * 1. Generates an organisation of N people (default 10,000 on PostgreSQL, about 8.5M events in
 *    October 2026; 2,000 on PGlite) in the proportions of the 2,000-person case
 *    (`--console-per-day 50000 --auth0-total 150000` over October: 25 console rows and about 2.4
 *    Auth0 events per person per day), from 2026-10-01 (the baseline month) to 2026-11-03.
 *    The folder is cached under os.tmpdir() by its parameters, so a second bench run reuses it.
 * 2. Imports it with `kansa import` as a child process into a throwaway PostgreSQL 15 (or an
 *    embedded database in a folder), after `kansa db migrate` in a child of its own; on
 *    PostgreSQL, exports the stored rows and COPYs them into an empty, migrated AuditEvent table:
 *    the ceiling the import is compared with (same rows, same columns, COPY's text format, as
 *    kansa's store writes them).
 * 3. Runs `kansa run --no-mail --today 2026-11-02` with FEATURE_SET=classic, then with profile
 *    (each the first run of November for its set: it fits October's baseline and stores it),
 *    then `--today 2026-11-03` with profile (a later run: the stored baseline is reused).
 * Every kansa child runs as `node --import <usage hook> bin/kansa.js ...` (bin/kansa.js
 * registers tsx in its own process, so the measured process is the one doing the work); the
 * hook writes process.resourceUsage() at exit: peak RSS (maxRSS) and CPU time of exactly that
 * process. PostgreSQL's own memory is not counted (on Heroku it is another machine).
 * Options:
 * - --people N, --db postgres|pglite;
 * - --compiled: run kansa compiled by tsc, as bin/kansa does on Heroku, instead of the source
 *   through tsx, whose compiler costs about 60 MB of RSS and 2 s of CPU at start (`kansa
 *   --version` peaked at 258 MB through tsx, 194 MB compiled, at a0f7071);
 * - --keep: leave the work folder (logs, usage files) and print its path;
 * - --cpu-prof: V8 CPU profiles of the import and the runs in the work folder's profiles/
 *   (implies --keep).
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { openDatabase } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";
import { startPostgres, PG_BIN } from "../test/helpers/postgres.ts";
import { AUDIT_EVENT_COLUMNS, root, runKansa } from "./kansa-child.ts";

const exec = promisify(execFile);
const FROM = "2026-10-01";
const TO = "2026-11-03";
const ZONE = "Asia/Tokyo"; // the generated console's zone; reports use it too, so "October" is the same month for both
const CONSOLE_PER_PERSON_DAY = 50_000 / 2_000;
const AUTH0_PER_PERSON_DAY = 150_000 / 31 / 2_000;
const HOUR_MS = 3_600_000;
/** The targets (bench, not tests). */
const TARGETS = { firstRunSeconds: 180, firstRunPeakRssMb: 350, laterRunSeconds: 30, importToCopy: 0.5, importPeakRssMb: 400 };

interface ChildFigures {
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function load(): number[] {
  return loadavg().map((l) => round(l, 2));
}

/** Run `kansa ARGS` with `cli` in a child (kansa-child.ts); its figures rounded for the report. */
async function kansaChild(cli: string, label: string, args: string[], env: Record<string, string>, logs: string, nodeFlags: string[] = []): Promise<ChildFigures & { stdout: string }> {
  process.stderr.write(`scale: kansa ${args.join(" ")} (${label})...\n`);
  const ran = await runKansa({ cli, args, env, logs, label, nodeFlags });
  return { ...ran, seconds: round(ran.seconds), cpuSeconds: round(ran.cpuSeconds) };
}

interface Sample {
  dir: string;
  cached: boolean;
  consoleRows: number;
  auth0Events: number;
  seconds: number;
  peakRssMb: number;
}

/** The generated folder for `people`, from the cache when an earlier run wrote it. */
async function sample(people: number): Promise<Sample> {
  const consolePerDay = Math.round(CONSOLE_PER_PERSON_DAY * people);
  const auth0PerDay = Math.round(AUTH0_PER_PERSON_DAY * people);
  const dir = join(tmpdir(), `kansa-scale-sample-${people}p-${consolePerDay}c-${auth0PerDay}a-${FROM}-${TO}`);
  const summary = `${dir}.json`; // beside the folder, not in it: `kansa import` would read it
  if (existsSync(summary) && existsSync(dir)) return { dir, cached: true, ...(JSON.parse(readFileSync(summary, "utf8")) as Omit<Sample, "dir" | "cached">) };
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`scale: generating ${people} people (${consolePerDay} console rows and ${auth0PerDay} Auth0 events a day) into ${dir}...\n`);
  const { stdout } = await exec(
    process.execPath,
    ["--import", "tsx", join(root, "bench", "scale-generate.ts"), partial, FROM, TO, String(people), String(consolePerDay), String(auth0PerDay)],
    { cwd: root, maxBuffer: 1 << 20, timeout: 4 * HOUR_MS },
  );
  const written = JSON.parse(stdout.trim().split("\n").pop()!) as Omit<Sample, "dir" | "cached">;
  renameSync(partial, dir);
  writeFileSync(summary, JSON.stringify(written));
  return { dir, cached: false, ...written };
}

/**
 * kansa compiled as `npm run build` compiles it (what bin/kansa runs on Heroku), into `dir`
 * laid out as the project is (package.json, templates/, prisma/ and node_modules/ beside dist/),
 * so the shared work tree's dist/ is left alone. Returns the compiled cli.js.
 */
async function compileKansa(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  for (const entry of ["node_modules", "templates", "prisma"]) symlinkSync(join(root, entry), join(dir, entry));
  copyFileSync(join(root, "package.json"), join(dir, "package.json"));
  process.stderr.write("scale: compiling kansa (tsc -p tsconfig.build.json)...\n");
  await exec(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json"), "--outDir", join(dir, "dist")], { cwd: root, timeout: HOUR_MS }).catch((error: { stdout?: string }) => {
    // tsc emits despite type errors (exit code 2); only a missing output is fatal.
    if (!existsSync(join(dir, "dist", "src", "cli.js"))) throw new Error(`tsc failed: ${error.stdout ?? String(error)}`);
  });
  return join(dir, "dist", "src", "cli.js");
}

/** Events stored in all and in October (in ZONE), read through kansa's own database layer. */
async function countEvents(target: { databaseUrl?: string; dataDir: string }): Promise<{ all: number; baselineMonth: number }> {
  const db = await openDatabase(target);
  try {
    const [row] = await db.query<{ all: string | number; october: string | number }>(
      `SELECT count(*) AS "all",
              count(*) FILTER (WHERE "occurredAt" >= '2026-10-01T00:00:00+09:00' AND "occurredAt" < '2026-11-01T00:00:00+09:00') AS october
         FROM "AuditEvent"`,
    );
    return { all: Number(row!.all), baselineMonth: Number(row!.october) };
  } finally {
    await db.close();
  }
}

/**
 * PostgreSQL's own COPY of the stored rows into an empty, migrated AuditEvent table (its unique
 * key and time index included): the rows go out to a file with COPY TO (streamed by psql, never
 * held by this process), then the timed COPY FROM reads them back.
 */
async function copyCeiling(sourceUrl: string, emptyUrl: string, work: string): Promise<{ events: number; seconds: number; eventsPerSecond: number; fileMb: number }> {
  const file = join(work, "copy.txt");
  const psql = join(PG_BIN, "psql");
  await exec(psql, [sourceUrl, "-v", "ON_ERROR_STOP=1", "-c", `\\copy (SELECT ${AUDIT_EVENT_COLUMNS} FROM "AuditEvent") TO '${file}'`], { timeout: 4 * HOUR_MS });
  const db = await openDatabase({ databaseUrl: emptyUrl, dataDir: "" });
  try {
    await migrateDatabase(db);
  } finally {
    await db.close();
  }
  const started = performance.now();
  const { stdout } = await exec(psql, [emptyUrl, "-v", "ON_ERROR_STOP=1", "-c", `\\copy "AuditEvent" (${AUDIT_EVENT_COLUMNS}) FROM '${file}'`], { timeout: 4 * HOUR_MS });
  const seconds = (performance.now() - started) / 1000;
  const events = Number(/COPY (\d+)/.exec(stdout)?.[1] ?? NaN);
  const fileMb = Math.round(Number((await exec("stat", ["-c", "%s", file])).stdout.trim()) / 1048576);
  rmSync(file, { force: true });
  return { events, seconds: round(seconds), eventsPerSecond: Math.round(events / seconds), fileMb };
}

/**
 * The commit measured, saying so when src/ has uncommitted changes (others work in the same
 * tree); BENCH_COMMIT names it when the tree is an exported copy without .git.
 */
async function measuredCommit(): Promise<string> {
  if (process.env.BENCH_COMMIT) return process.env.BENCH_COMMIT;
  try {
    const head = (await exec("git", ["rev-parse", "HEAD"], { cwd: root })).stdout.trim();
    const dirty = (await exec("git", ["status", "--porcelain", "--", "src"], { cwd: root })).stdout.trim() !== "";
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return "unknown (not a git work tree; set BENCH_COMMIT)";
  }
}

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 8) throw new Error(`--${name} must be an integer of at least 8, got ${JSON.stringify(value)}`);
  return n;
}

export async function run(options: Record<string, string> = {}): Promise<object> {
  const database = options.db ?? "postgres";
  if (database !== "postgres" && database !== "pglite") throw new Error(`--db must be postgres or pglite, got ${JSON.stringify(database)}`);
  const people = positiveInteger("people", options.people ?? (database === "postgres" ? "10000" : "2000"));
  const cpuProf = options["cpu-prof"] === "true";
  const keep = cpuProf || options.keep === "true";
  const compiled = options.compiled === "true";
  const loadAtStart = load();
  const commit = await measuredCommit();

  const generated = await sample(people);
  const work = mkdtempSync(join(tmpdir(), "kansa-scale-"));
  const logs = join(work, "logs");
  mkdirSync(logs);
  const server = database === "postgres" ? await startPostgres() : null;
  if (database === "postgres" && !server) throw new Error("no PostgreSQL available (see test/helpers/postgres.ts)");
  try {
    const databaseUrl = server ? await server.createDatabase() : undefined;
    const dataDir = join(work, "kansa-data");
    const env: Record<string, string> = { KANSA_DEBUG: "1", KANSA_DATA_DIR: dataDir, CONSOLE_TIMEZONE: ZONE, REPORT_TIMEZONE: ZONE, LOG_LEVEL: "info", ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };

    // KANSA_DEBUG: a failing child prints its stack (only on error).
    const cli = compiled ? await compileKansa(join(work, "compiled")) : join(root, "bin", "kansa.js");
    const kansa = (label: string, args: string[], childEnv: Record<string, string>, flags: string[] = []) => kansaChild(cli, label, args, childEnv, logs, flags);
    // Creating the database (PGlite's initdb especially) is not the import's memory: as `kansa db migrate` would, first.
    await kansa("migrate", ["db", "migrate"], env);
    const profileFlags = (label: string) => (cpuProf ? ["--cpu-prof", "--cpu-prof-dir", join(work, "profiles", label)] : []);
    const imported = await kansa("import", ["import", generated.dir, "--json"], env, profileFlags("import"));
    const total = (JSON.parse(imported.stdout) as { total: { read: number; stored: number; rejected: number } }).total;
    const counts = await countEvents({ ...(databaseUrl ? { databaseUrl } : {}), dataDir });
    const importFigures = { ...total, seconds: imported.seconds, eventsPerSecond: Math.round(total.stored / imported.seconds), peakRssMb: imported.peakRssMb, cpuSeconds: imported.cpuSeconds };

    let copy: Awaited<ReturnType<typeof copyCeiling>> | null = null;
    if (server && databaseUrl) copy = await copyCeiling(databaseUrl, await server.createDatabase(), work);
    const loadAfterImport = load();

    // A failing run is reported with its error and the figures of the others still measured.
    const runOnce = async (label: string, featureSet: string, today: string): Promise<ChildFigures | { error: string }> => {
      try {
        const { seconds, peakRssMb, cpuSeconds } = await kansa(label, ["run", "--no-mail", "--today", today], { ...env, FEATURE_SET: featureSet }, profileFlags(label));
        return { seconds, peakRssMb, cpuSeconds };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    const firstRun = {
      classic: await runOnce("first-run-classic", "classic", "2026-11-02"),
      profile: await runOnce("first-run-profile", "profile", "2026-11-02"),
    };
    const laterRun = await runOnce("later-run-profile", "profile", "2026-11-03");

    const importToCopy = copy ? round(importFigures.eventsPerSecond / copy.eventsPerSecond, 2) : null;
    const met = (value: number | undefined, limit: number) => value !== undefined && value < limit;
    const within = (figures: ChildFigures | { error: string }, seconds: number) =>
      "error" in figures ? false : met(figures.seconds, seconds) && met(figures.peakRssMb, TARGETS.firstRunPeakRssMb);
    return {
      commit,
      kansa: compiled ? "compiled (tsc, as on Heroku)" : "source through tsx (bin/kansa.js)",
      database,
      people,
      events: { baselineMonth: counts.baselineMonth, stored: counts.all, consoleRows: generated.consoleRows, auth0Events: generated.auth0Events, span: `${FROM}..${TO}` },
      generation: { seconds: generated.seconds, cached: generated.cached, peakRssMb: generated.peakRssMb, folder: generated.dir },
      import: importFigures,
      copy,
      importToCopy,
      firstRun,
      laterRun,
      targets: {
        importToCopy: { target: `>= ${TARGETS.importToCopy}`, met: importToCopy === null ? null : importToCopy >= TARGETS.importToCopy },
        importPeakRss: { target: `< ${TARGETS.importPeakRssMb} MB`, met: met(importFigures.peakRssMb, TARGETS.importPeakRssMb) },
        firstRunClassic: { target: `< ${TARGETS.firstRunSeconds} s and < ${TARGETS.firstRunPeakRssMb} MB`, met: within(firstRun.classic, TARGETS.firstRunSeconds) },
        firstRunProfile: { target: `< ${TARGETS.firstRunSeconds} s and < ${TARGETS.firstRunPeakRssMb} MB`, met: within(firstRun.profile, TARGETS.firstRunSeconds) },
        laterRun: { target: `< ${TARGETS.laterRunSeconds} s (and < ${TARGETS.firstRunPeakRssMb} MB)`, met: within(laterRun, TARGETS.laterRunSeconds) },
      },
      loadavg: { atStart: loadAtStart, afterImport: loadAfterImport, atEnd: load() },
      ...(keep ? { workFolder: work } : {}),
    };
  } finally {
    await server?.stop();
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}
