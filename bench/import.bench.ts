/**
 * Import speed and memory (issues 3 and 25), each import run as `kansa import DIR` in a child of
 * its own, as a user runs it:
 * - generated months of N people (scripts/generate-sample.ts, October 2026: 25 console rows and
 *   about 2.4 Auth0 events per person and day; 2,000 people is about 1.7M events) imported into
 *   PostgreSQL 15 (a throwaway cluster), beside PostgreSQL's own COPY (psql \copy) of the same
 *   normalised rows into the same table with its indexes. Targets: import rate >= 0.5 x COPY's,
 *   peak RSS of the import < 400 MB, at two sizes to show it does not grow with the input;
 * - the embedded PGlite (on disk, as by default) importing a month of 2,000 people: its rate
 *   (issue 3's target: >= 10,000 events/s) and peak RSS (< 400 MB);
 * - hostile console CSVs (issue 21), each read in a child of its own (time and peak RSS): a
 *   million identical rows of one second, and a 1 MB-ish gzip of a header then 1 GiB of "x\n"
 *   (every line a rejection).
 * Peak RSS is the child's own maxRSS (process.resourceUsage, written at exit). The database is
 * created and migrated by `kansa db migrate` first, in a process of its own, as on Heroku's
 * release phase: the import's figures are the import's. The machine may be shared: beside
 * wall-clock rates, CPU seconds (kansa's and the server's) and the load average are shown.
 *
 * Knobs: BENCH_PEOPLE (sizes for PostgreSQL, default "2000,5000"), BENCH_PGLITE_PEOPLE (default
 * 2000; 0 leaves PGlite out), BENCH_DAYS (days of October generated, default 31),
 * BENCH_SAMPLES (a folder where generated months are kept as people-N/ and reused),
 * BENCH_SKIP_HOSTILE=1, BENCH_HOSTILE_ONLY=1.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startPostgres, PG_BIN, type TestPostgres } from "../test/helpers/postgres.ts";
import { AUDIT_EVENT_COLUMNS, root, runKansa } from "./kansa-child.ts";

const exec = promisify(execFile);
const HOUR_MS = 3_600_000;
const TARGETS = { importToCopy: 0.5, peakRssMb: 400, pgliteEventsPerSecond: 10_000 };

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function load(): number[] {
  return loadavg().map((l) => round(l));
}

/** Run `kansa ARGS` through tsx in a child (kansa-child.ts), the console's zone set as the generated files need. */
function kansa(args: string[], env: Record<string, string>, logs: string, label: string) {
  process.stderr.write(`import bench: kansa ${args.join(" ")} (${label})...\n`);
  return runKansa({ cli: join(root, "src", "cli.ts"), nodeFlags: ["--import", "tsx"], args, env: { CONSOLE_TIMEZONE: "Asia/Tokyo", ...env }, logs, label });
}

/** A month of `people` people (generated, or reused from BENCH_SAMPLES). */
async function sample(people: number, days: number, work: string): Promise<{ dir: string; generatedSeconds: number | null }> {
  const keep = process.env.BENCH_SAMPLES;
  const dir = keep ? join(keep, `people-${people}${days === 31 ? "" : `-${days}d`}`) : join(work, `people-${people}`);
  if (keep && existsSync(join(dir, ".complete"))) return { dir, generatedSeconds: null };
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const to = `2026-10-${String(days).padStart(2, "0")}`;
  await exec(process.execPath, [
    "--import", "tsx", join(root, "scripts", "generate-sample.ts"), "--out", dir, "--from", "2026-10-01", "--to", to,
    "--people", String(people), "--console-per-day", String(25 * people), "--auth0-total", String(Math.round((75 * people * days) / 31)),
  ], { cwd: root, maxBuffer: 1 << 24, timeout: 4 * HOUR_MS });
  writeFileSync(join(dir, ".complete"), "");
  return { dir, generatedSeconds: round((performance.now() - started) / 1000, 1) };
}

/**
 * CPU seconds used so far by a PostgreSQL cluster: the postmaster, its live children, and
 * (through the postmaster's cutime/cstime) the children it has already reaped.
 */
function serverCpuSeconds(dataDir: string | null): number | null {
  if (!dataDir || !existsSync(join(dataDir, "postmaster.pid"))) return null;
  const postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const stat = (pid: number): string[] | null => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      return text.slice(text.lastIndexOf(")") + 2).split(" ");
    } catch {
      return null;
    }
  };
  // fields after ") ": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
  const own = stat(postmaster);
  if (!own) return null;
  let total = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = stat(Number(entry));
    if (fields && Number(fields[1]) === postmaster) total += Number(fields[11]) + Number(fields[12]);
  }
  return total / 100; // USER_HZ on Linux
}

/** Stored events of `kansa import --json`'s summary. */
function storedOf(stdout: string): number {
  return (JSON.parse(stdout) as { total: { stored: number } }).total.stored;
}

/** PostgreSQL: the import of `dir`, then COPY of the same rows into a fresh database. */
async function postgresFigures(server: TestPostgres, dir: string, logs: string, label: string) {
  const url = await server.createDatabase();
  await kansa(["db", "migrate"], { DATABASE_URL: url }, logs, `${label}-migrate`);
  const load0 = load();
  const server0 = serverCpuSeconds(server.dataDir);
  const run = await kansa(["import", dir, "--json"], { DATABASE_URL: url }, logs, `${label}-import`);
  const server1 = serverCpuSeconds(server.dataDir);
  const events = storedOf(run.stdout);
  const importServerCpu = server0 !== null && server1 !== null ? server1 - server0 : null;

  const csv = join(logs, `${label}.csv`);
  await exec(process.execPath, ["--import", "tsx", join(root, "bench", "copy-rows-child.ts"), dir, csv], { cwd: root, maxBuffer: 1 << 20, timeout: 4 * HOUR_MS });
  const copyUrl = await server.createDatabase();
  await kansa(["db", "migrate"], { DATABASE_URL: copyUrl }, logs, `${label}-copy-migrate`);
  const server2 = serverCpuSeconds(server.dataDir);
  const started = performance.now();
  await exec(join(PG_BIN, "psql"), [copyUrl, "-v", "ON_ERROR_STOP=1", "-c", `\\copy "AuditEvent" (${AUDIT_EVENT_COLUMNS}) FROM '${csv}' WITH (FORMAT csv)`], { maxBuffer: 1 << 20, timeout: 4 * HOUR_MS });
  const copySeconds = (performance.now() - started) / 1000;
  const server3 = serverCpuSeconds(server.dataDir);
  rmSync(csv, { force: true });
  const copyCpu = server2 !== null && server3 !== null ? server3 - server2 : null;

  const rate = events / run.seconds;
  const copyRate = events / copySeconds;
  const importCpu = run.cpuSeconds + (importServerCpu ?? 0);
  return {
    events,
    import: {
      seconds: round(run.seconds, 1), eventsPerSecond: Math.round(rate), peakRssMb: run.peakRssMb,
      kansaCpuSeconds: round(run.cpuSeconds, 1), serverCpuSeconds: importServerCpu === null ? null : round(importServerCpu, 1),
      eventsPerCpuSecond: Math.round(events / importCpu),
    },
    copy: {
      seconds: round(copySeconds, 1), eventsPerSecond: Math.round(copyRate),
      serverCpuSeconds: copyCpu === null ? null : round(copyCpu, 1), eventsPerCpuSecond: copyCpu ? Math.round(events / copyCpu) : null,
    },
    importToCopy: round(rate / copyRate),
    importToCopyByCpu: copyCpu ? round(events / importCpu / (events / copyCpu)) : null,
    loadAverageBefore: load0,
    meetsTargets: rate / copyRate >= TARGETS.importToCopy && run.peakRssMb < TARGETS.peakRssMb,
  };
}

/** PGlite on disk: migrate in a process of its own (initdb's memory is not the import's), then import. */
async function pgliteFigures(dir: string, work: string, logs: string, label: string) {
  const dataDir = join(work, `${label}-data`);
  await kansa(["db", "migrate"], { KANSA_DATA_DIR: dataDir }, logs, `${label}-migrate`);
  const load0 = load();
  const run = await kansa(["import", dir, "--json"], { KANSA_DATA_DIR: dataDir }, logs, `${label}-import`);
  rmSync(dataDir, { recursive: true, force: true });
  const events = storedOf(run.stdout);
  const rate = events / run.seconds;
  return {
    events, seconds: round(run.seconds, 1), eventsPerSecond: Math.round(rate), peakRssMb: run.peakRssMb,
    cpuSeconds: round(run.cpuSeconds, 1), eventsPerCpuSecond: Math.round(events / run.cpuSeconds), loadAverageBefore: load0,
    meetsTargets: rate >= TARGETS.pgliteEventsPerSecond && run.peakRssMb < TARGETS.peakRssMb,
  };
}

/** Read a generated console CSV in a child (fresh RSS) and report rows, rejections, time and peak RSS. */
async function hostileConsole(kind: "identical" | "gzip-bad"): Promise<Record<string, number>> {
  const reader = new URL("../src/sources/kintone/console-csv/index.ts", import.meta.url).href;
  const script = `
    import { Readable, PassThrough, pipeline } from "node:stream";
    import { createGzip, createGunzip } from "node:zlib";
    const { readConsoleCsv } = await import(${JSON.stringify(reader)});
    const header = "Date,Level,Service,User,IP Address,User Agent,Module,Action,Result,Error Code,Complement\\n";
    const line = ${JSON.stringify(kind)} === "identical"
      ? "2026/10/01 10:00:00,Information,Common,sato,203.0.113.10,Mozilla/5.0,Authentication,Login,SUCCESS,,\\n"
      : "x\\n";
    const repeat = ${JSON.stringify(kind)} === "identical" ? 1_000_000 : 1024 ** 3 / 2;
    const piece = Buffer.from(line.repeat(1 << 16));
    const source = Readable.from((function* () {
      yield Buffer.from(header);
      for (let sent = 0; sent < repeat; sent += 1 << 16) yield piece;
    })());
    let input = source;
    let gzipBytes = 0;
    if (${JSON.stringify(kind)} === "gzip-bad") {
      const gz = createGzip({ level: 9 });
      const out = new PassThrough();
      gz.on("data", (c) => { gzipBytes += c.length; });
      pipeline(source, gz, createGunzip(), out, () => {});
      input = out;
    }
    const started = performance.now();
    let rows = 0, rejected = 0;
    for await (const batch of readConsoleCsv(input, { origin: "bench.csv" })) { rows += batch.rows.length; rejected += batch.rejections.length; }
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ rows, rejected, gzipMB: Math.round(gzipBytes / 1e5) / 10, seconds: Math.round(seconds * 10) / 10, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
  `;
  const { stdout } = await exec(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { maxBuffer: 1 << 24, timeout: HOUR_MS });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, number>;
}

function sizes(text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback;
  return text.split(",").map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
}

export async function run(): Promise<object> {
  const work = mkdtempSync(join(tmpdir(), "kansa-bench-"));
  const logs = join(work, "logs");
  mkdirSync(logs);
  const results: Record<string, unknown> = { targets: TARGETS, loadAverageAtStart: load() };
  try {
    if (process.env.BENCH_SKIP_HOSTILE !== "1") {
      results.hostileConsole = { identicalRows: await hostileConsole("identical"), gzipOfBadLines: await hostileConsole("gzip-bad") };
    }
    if (process.env.BENCH_HOSTILE_ONLY === "1") return results;
    const days = Number(process.env.BENCH_DAYS ?? 31);
    const postgresPeople = sizes(process.env.BENCH_PEOPLE, [2000, 5000]);
    const pglitePeople = sizes(process.env.BENCH_PGLITE_PEOPLE, [2000]);

    const server = postgresPeople.length > 0 ? await startPostgres() : null;
    if (postgresPeople.length > 0 && !server) results.postgres = { skipped: "no PostgreSQL available" };
    if (server) {
      try {
        const bySize: Record<string, unknown> = {};
        for (const people of postgresPeople) {
          const month = await sample(people, days, work);
          bySize[`${people} people`] = { generatedSeconds: month.generatedSeconds, ...(await postgresFigures(server, month.dir, logs, `pg-${people}`)) };
          if (!process.env.BENCH_SAMPLES) rmSync(month.dir, { recursive: true, force: true });
        }
        results.postgres = bySize;
      } finally {
        await server.stop();
      }
    }
    const embedded: Record<string, unknown> = {};
    for (const people of pglitePeople) {
      const month = await sample(people, days, work);
      embedded[`${people} people`] = { generatedSeconds: month.generatedSeconds, ...(await pgliteFigures(month.dir, work, logs, `pglite-${people}`)) };
      if (!process.env.BENCH_SAMPLES) rmSync(month.dir, { recursive: true, force: true });
    }
    if (pglitePeople.length > 0) results.pglite = embedded;
    results.loadAverageAtEnd = load();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}
