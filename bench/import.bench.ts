/**
 * Import speed and memory (issue 3's targets):
 * - the import rate of a generated month (files → read → normalise → store, events/s) into the
 *   embedded PGlite (on disk, as by default) and into PostgreSQL 15 (a throwaway cluster);
 * - PostgreSQL's own COPY of the same normalised rows into the same table (with its indexes),
 *   the ceiling the import is compared with;
 * - peak RSS of a child process importing BENCH_RSS_EVENTS (default 1,000,000) events.
 * Targets: PGlite ≥ 10,000 events/s, PostgreSQL ≥ 50 % of COPY, RSS < 400 MB.
 * BENCH_SKIP_RSS=1 leaves the (long) million-event part out.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { importFiles } from "../src/schedule/import-files.ts";
import { openDatabase, type Database } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";
import { silentLogger } from "../src/core/logger.ts";
import { loadConfig } from "../src/core/config.ts";
import { normalizeOptionsFrom } from "../src/normalize/options.ts";
import { normalizeBatch } from "../src/normalize/index.ts";
import { readFiles } from "../src/sources/files/index.ts";
import type { AuditEvent } from "../src/core/types.ts";
import { startPostgres, PG_BIN } from "../test/helpers/postgres.ts";

const exec = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
const normalize = { ...normalizeOptionsFrom(loadConfig({})), consoleTimezone: "Asia/Tokyo" };

async function child(script: string, args: string[]): Promise<Record<string, number>> {
  const { stdout } = await exec(process.execPath, ["--import", "tsx", join(here, script), ...args], { maxBuffer: 1 << 24, timeout: 3_600_000 });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, number>;
}

async function timedImport(db: Database, folder: string): Promise<{ events: number; seconds: number; eventsPerSecond: number }> {
  const started = performance.now();
  const result = await importFiles(db, [folder], { normalize, tenants: {}, log: silentLogger });
  const seconds = (performance.now() - started) / 1000;
  return { events: result.total.stored, seconds: round(seconds), eventsPerSecond: Math.round(result.total.stored / seconds) };
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

export async function run(): Promise<object> {
  const work = mkdtempSync(join(tmpdir(), "kansa-bench-"));
  const results: Record<string, unknown> = {};
  try {
    const month = join(work, "month");
    results.month = await child("write-sample-child.ts", [month, "2026-09-01", "2026-09-30"]);

    // Reading and normalising alone (no database): the most any store can reach.
    {
      const started = performance.now();
      let n = 0;
      for await (const item of readFiles([month], { batchSize: 2000 })) if (item.kind === "batch") n += normalizeBatch(item.batch, normalize).events.length;
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
        results.pglite = { ...first, reimportSeconds: again.seconds, target: 10_000, meetsTarget: first.eventsPerSecond >= 10_000 };
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
          imported = await timedImport(db, month);
        } finally {
          await db.close();
        }
        const events: AuditEvent[] = [];
        for await (const item of readFiles([month], { batchSize: 2000 })) if (item.kind === "batch") events.push(...normalizeBatch(item.batch, normalize).events);
        const csv = join(work, "copy.csv");
        writeFileSync(csv, `${events.map(copyLine).join("\n")}\n`);
        const copyUrl = await server.createDatabase();
        const copyDb = await openDatabase({ databaseUrl: copyUrl, dataDir: "" });
        await migrateDatabase(copyDb);
        await copyDb.close();
        const columns = `"source","tenant","externalId","occurredAt","account","action","ip","ipParsed","appId","appName","userAgent","level","result","isExport","isCritical","isLogin","isFailedLogin","raw"`;
        const started = performance.now();
        await exec(join(PG_BIN, "psql"), [copyUrl, "-v", "ON_ERROR_STOP=1", "-c", `\\copy "AuditEvent" (${columns}) FROM '${csv}' WITH (FORMAT csv)`]);
        const copySeconds = (performance.now() - started) / 1000;
        const copyRate = Math.round(events.length / copySeconds);
        results.postgres = {
          ...imported,
          copy: { events: events.length, seconds: round(copySeconds), eventsPerSecond: copyRate },
          shareOfCopy: round(imported.eventsPerSecond / copyRate),
          target: 0.5,
          meetsTarget: imported.eventsPerSecond / copyRate >= 0.5,
        };
      } finally {
        await server.stop();
      }
    }

    // Peak RSS importing a million events, measured by the importing process itself.
    if (process.env.BENCH_SKIP_RSS !== "1") {
      const total = Number(process.env.BENCH_RSS_EVENTS ?? 1_000_000);
      const auth0 = Math.round(total * 0.05);
      const big = join(work, "big");
      results.rssSample = await child("write-sample-child.ts", [big, "2026-01-01", "2026-06-30", String(total - auth0), String(auth0)]);
      const measured = await child("import-child.ts", [big, join(work, "big-db")]);
      results.rss = { ...measured, target: 400, meetsTarget: (measured.maxRssMB ?? Infinity) < 400 };
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}
