/**
 * The commands end to end: `kansa run --json`, `kansa score`, `kansa calibrate` through the real
 * CLI (bin/kansa.js) on a database filled by the store: a real PostgreSQL when one can be had
 * (DATABASE_URL), else the embedded PGlite on disk (KANSA_DATA_DIR).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import type { ReportModel } from "../../src/core/report-model.ts";
import { startPostgres, type TestPostgres } from "../helpers/postgres.ts";
import { event, officeMonth, store } from "./fixtures.ts";
import { cliEnv, runKansa, type Ran } from "../helpers/cli.ts";

let env: Record<string, string>;
let pgServer: TestPostgres | null = null;
let dataDir: string;

function kansa(args: string[], extraEnv: Record<string, string> = {}): Promise<Ran> {
  return runKansa(args, cliEnv({ ...env, ...extraEnv }));
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "kansa-cli-"));
  env = { REPORT_TIMEZONE: "Asia/Tokyo", LOG_LEVEL: "error", KANSA_DATA_DIR: dataDir, FEATURE_SET: "classic" };
  pgServer = await startPostgres().catch(() => null);
  if (pgServer) env.DATABASE_URL = await pgServer.createDatabase();
  const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir });
  try {
    await migrateDatabase(db);
    await store(db, officeMonth("2026-10", 6, 5));
    await store(db, [
      event("2026-11-22T10:00:00", { action: "export user", externalId: "exp" }),
      event("2026-11-22T03:33:33", { account: "mallory", action: "Record file download", ip: "198.51.100.7", appId: "99", externalId: "odd" }),
      event("2026-11-22T11:00:00", { externalId: "plain" }),
    ]);
    // A busy day, for output far larger than a pipe's buffer.
    await store(db, Array.from({ length: 3000 }, (_, i) =>
      event(`2026-11-10T${String(9 + Math.floor(i / 600)).padStart(2, "0")}:${String(Math.floor(i / 10) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`, { externalId: `busy-${i}` })));
  } finally {
    await db.close();
  }
});

after(async () => {
  await pgServer?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test("kansa run --json prints the report model", async () => {
  const { code, stdout, stderr } = await kansa(["run", "--today", "2026-11-23", "--no-mail", "--json"]);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout) as ReportModel;
  assert.equal(report.day, "2026-11-22");
  assert.equal(report.totalEvents, 3);
  // mallory's record file download is a documented download (issue 24), so an export too.
  assert.deepEqual(report.sections.exports.items.map((e) => e.externalId), ["odd", "exp"]);
  assert.deepEqual(report.sections.outliers.items.map((e) => e.externalId), ["odd"]);
  assert.equal(report.baselines[0]!.n, 186);
  assert.equal(report.sources[0]!.source, "kintone");
});

test("kansa run without --json prints a summary; kansa score prints one line per event", async () => {
  const summary = await kansa(["run", "--today", "2026-11-23", "--no-mail"]);
  assert.equal(summary.code, 0, summary.stderr);
  assert.match(summary.stdout, /kansa report for 2026-11-22 \(Asia\/Tokyo\): 3 event/);
  assert.match(summary.stdout, /outlier .*mallory/);
  const scored = await kansa(["score", "--today", "2026-11-23", "--feature-set", "classic"]);
  assert.equal(scored.code, 0, scored.stderr);
  const lines = scored.stdout.trim().split("\n").map((l) => JSON.parse(l) as { externalId: string; distance: number; outlier: boolean });
  assert.deepEqual(lines.map((l) => l.externalId), ["odd", "exp", "plain"]);
  assert.equal(lines[0]!.outlier, true);
  assert.ok(lines[2]!.distance < 10);
});

test("kansa score through a pipe prints every line before it exits (3,000 events, about 1 MB)", async () => {
  const scored = await kansa(["score", "--today", "2026-11-11", "--feature-set", "classic"]);
  assert.equal(scored.code, 0, scored.stderr);
  const lines = scored.stdout.trim().split("\n").map((l) => JSON.parse(l) as { externalId: string });
  assert.equal(lines.length, 3000);
  assert.equal(new Set(lines.map((l) => l.externalId)).size, 3000);
});

test("kansa calibrate prints percentiles and per-day counts", async () => {
  const { code, stdout, stderr } = await kansa(["calibrate", "--month", "2026-10"]);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout) as { month: string; sources: { featureSet: string; calibration: { n: number; percentiles: { p50: number; max: number } } }[] };
  assert.equal(result.month, "2026-10");
  const classic = result.sources.find((s) => s.featureSet === "classic")!;
  assert.equal(classic.calibration.n, 186);
  assert.ok(classic.calibration.percentiles.max >= classic.calibration.percentiles.p50);
});

test("bad dates and names are refused with a sentence", async () => {
  const day = await kansa(["run", "--today", "2026-11-31"]);
  assert.equal(day.code, 1);
  assert.match(day.stderr, /--today must be a day written YYYY-MM-DD \(such as 2026-11-23\), got "2026-11-31"/);
  const month = await kansa(["calibrate", "--month", "October"]);
  assert.equal(month.code, 1);
  assert.match(month.stderr, /--month must be a month written YYYY-MM/);
  const set = await kansa(["score", "--today", "2026-11-23", "--feature-set", "fancy"]);
  assert.equal(set.code, 1);
  assert.match(set.stderr, /Unknown feature set "fancy": choose one of classic/);
});
