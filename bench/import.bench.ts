/**
 * Import speed and memory (issue 3's targets):
 * - the import rate of a generated month (files → read → normalise → store, events/s) into the
 *   embedded PGlite (on disk, as by default) and into PostgreSQL 15 (a throwaway cluster);
 * - PostgreSQL's own COPY of the same normalised rows into the same table (with its indexes),
 *   the ceiling the import is compared with;
 * - peak RSS of a child process importing BENCH_RSS_EVENTS (default 1,000,000) events.
 * Targets: PGlite ≥ 10,000 events/s, PostgreSQL ≥ 50 % of COPY, RSS < 400 MB.
 * BENCH_SKIP_RSS=1 leaves the (long) million-event part out.
 * - hostile console CSVs (issue 21), each read in a child of its own (time and peak RSS): a
 *   million identical rows of one second, and a 1 MB-ish gzip of a header then 1 GiB of "x\n"
 *   (every line a rejection). BENCH_HOSTILE_ONLY=1 runs only these.
 * The machine is shared: beside wall-clock rates, each import reports events per CPU-second
 * (this process plus, for PostgreSQL, the server's processes), and the load average is shown.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { importFiles } from "../src/schedule/import-files.ts";
import { openDatabase, type Database } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";
import { silentLogger } from "../src/core/logger.ts";
import { loadConfig } from "../src/sources/config.ts";
import { normalizeBatch } from "../src/normalize/index.ts";
import { readFiles } from "../src/sources/files/index.ts";
import { definitionOf, fileFormats } from "../src/sources/registry.ts";
import type { AuditEvent } from "../src/core/types.ts";
import { startPostgres, PG_BIN } from "../test/helpers/postgres.ts";

const exec = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
const config = { ...loadConfig({}), consoleTimezone: "Asia/Tokyo" };

async function child(script: string, args: string[]): Promise<Record<string, number>> {
  const { stdout } = await exec(process.execPath, ["--import", "tsx", join(here, script), ...args], { maxBuffer: 1 << 24, timeout: 3_600_000 });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, number>;
}

async function timedImport(db: Database, folder: string, serverDir: string | null = null) {
  const started = performance.now();
  const cpu0 = cpuSeconds();
  const server0 = serverCpuSeconds(serverDir);
  const result = await importFiles(db, [folder], { config, log: silentLogger });
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds() - cpu0;
  const server1 = serverCpuSeconds(serverDir);
  const serverCpu = server0 !== null && server1 !== null ? server1 - server0 : 0;
  const events = result.total.stored;
  return {
    events, seconds: round(seconds), eventsPerSecond: Math.round(events / seconds),
    cpuSeconds: round(cpu + serverCpu), eventsPerCpuSecond: Math.round(events / (cpu + serverCpu)),
  };
}

/**
 * CPU seconds used so far by a PostgreSQL cluster: the postmaster, its live children, and
 * (through the postmaster's cutime/cstime) the children it has already reaped. The machine is
 * shared, so CPU time is the fairer measure beside wall-clock time.
 */
function serverCpuSeconds(dataDir: string | null): number | null {
  if (!dataDir || !existsSync(join(dataDir, "postmaster.pid"))) return null;
  const postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const ticks = 100; // USER_HZ on Linux
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
  return total / ticks;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** A CSV line of an event for COPY (the same columns storeEvents writes). */
function copyLine(e: AuditEvent): string {
  const q = (v: string | null) => (v === null ? "" : `"${v.replace(/"/g, '""')}"`);
  return [
    e.source, e.tenant, e.externalId, e.occurredAt.toISOString(), e.account, e.action, e.ip, e.ipParsed, e.appId, e.appName,
    e.userAgent, e.level, e.result, String(e.isExport), String(e.isCritical), String(e.isLogin), String(e.isFailedLogin),
    JSON.stringify(e.raw).replace(/\\u0000/g, ""),
  ].map((v) => (v === "true" || v === "false" ? v : q(v as string | null))).join(",");
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
  const { stdout } = await exec(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { maxBuffer: 1 << 24, timeout: 3_600_000 });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, number>;
}

export async function run(): Promise<object> {
  const work = mkdtempSync(join(tmpdir(), "kansa-bench-"));
  const results: Record<string, unknown> = {};
  try {
    results.hostileConsole = {
      identicalRows: await hostileConsole("identical"),
      gzipOfBadLines: await hostileConsole("gzip-bad"),
    };
    if (process.env.BENCH_HOSTILE_ONLY === "1") return results;
    results.loadAverageAtStart = loadavg().map((l) => round(l));
    const month = join(work, "month");
    results.month = await child("write-sample-child.ts", [month, "2026-09-01", "2026-09-30"]);

    // Reading and normalising alone (no database): the most any store can reach.
    {
      const started = performance.now();
      let n = 0;
      for await (const item of readFiles([month], { formats: fileFormats(), config: {}, batchSize: 2000 })) if (item.kind === "batch") n += normalizeBatch(item.batch, definitionOf(item.batch).normalize, config).events.length;
      const seconds = (performance.now() - started) / 1000;
      results.readAndNormalize = { events: n, eventsPerSecond: Math.round(n / seconds) };
    }

    // PGlite on disk (the embedded default).
    {
      const db = await openDatabase({ dataDir: join(work, "pglite") });
      await migrateDatabase(db);
      try {
        const first = await timedImport(db, month);
        const again = await timedImport(db, month);
        results.pglite = { ...first, reimportSeconds: again.seconds, target: 10_000, meetsTarget: first.eventsPerSecond >= 10_000, meetsTargetByCpu: first.eventsPerCpuSecond >= 10_000 };
      } finally {
        await db.close();
      }
    }

    // PostgreSQL: the import, then COPY of the same rows into a fresh table as the ceiling.
    const server = await startPostgres();
    if (!server) {
      results.postgres = { skipped: "no PostgreSQL available" };
    } else {
      try {
        const db = await openDatabase({ databaseUrl: await server.createDatabase(), dataDir: "" });
        await migrateDatabase(db);
        let imported;
        try {
          imported = await timedImport(db, month, server.dataDir);
        } finally {
          await db.close();
        }
        const events: AuditEvent[] = [];
        for await (const item of readFiles([month], { formats: fileFormats(), config: {}, batchSize: 2000 })) if (item.kind === "batch") events.push(...normalizeBatch(item.batch, definitionOf(item.batch).normalize, config).events);
        const csv = join(work, "copy.csv");
        writeFileSync(csv, `${events.map(copyLine).join("\n")}\n`);
        const copyUrl = await server.createDatabase();
        const copyDb = await openDatabase({ databaseUrl: copyUrl, dataDir: "" });
        await migrateDatabase(copyDb);
        await copyDb.close();
        const columns = `"source","tenant","externalId","occurredAt","account","action","ip","ipParsed","appId","appName","userAgent","level","result","isExport","isCritical","isLogin","isFailedLogin","raw"`;
        const started = performance.now();
        const server0 = serverCpuSeconds(server.dataDir);
        await exec(join(PG_BIN, "psql"), [copyUrl, "-v", "ON_ERROR_STOP=1", "-c", `\\copy "AuditEvent" (${columns}) FROM '${csv}' WITH (FORMAT csv)`]);
        const copySeconds = (performance.now() - started) / 1000;
        const server1 = serverCpuSeconds(server.dataDir);
        const copyRate = Math.round(events.length / copySeconds);
        const copyCpu = server0 !== null && server1 !== null ? server1 - server0 : null;
        const copyCpuRate = copyCpu ? Math.round(events.length / copyCpu) : null;
        results.postgres = {
          ...imported,
          copy: { events: events.length, seconds: round(copySeconds), eventsPerSecond: copyRate, serverCpuSeconds: copyCpu === null ? null : round(copyCpu), eventsPerCpuSecond: copyCpuRate },
          shareOfCopy: round(imported.eventsPerSecond / copyRate),
          shareOfCopyByCpu: copyCpuRate ? round(imported.eventsPerCpuSecond / copyCpuRate) : null,
          target: 0.5,
          meetsTarget: imported.eventsPerSecond / copyRate >= 0.5,
        };
      } finally {
        await server.stop();
      }
    }

    results.loadAverageAfterRates = loadavg().map((l) => round(l));

    // Peak RSS importing a million events, measured by the importing process itself.
    if (process.env.BENCH_SKIP_RSS !== "1") {
      const total = Number(process.env.BENCH_RSS_EVENTS ?? 1_000_000);
      const auth0 = Math.round(total * 0.05);
      const big = join(work, "big");
      try {
        results.rssSample = await child("write-sample-child.ts", [big, "2026-01-01", "2026-06-30", String(total - auth0), String(auth0)]);
        await exec(process.execPath, ["--import", "tsx", join(here, "import-child.ts"), "-", join(work, "big-db")]);
        const measured = await child("import-child.ts", [big, join(work, "big-db")]);
        results.rss = { ...measured, target: 400, meetsTarget: (measured.peakRssWhileImportingMB ?? Infinity) < 400 };
      } catch (error) {
        results.rss = { error: (error as Error).message };
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}
