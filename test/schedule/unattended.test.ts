/**
 * Unattended runs through the real command line on the embedded database, with the clock set far
 * ahead (KANSA_NOW) so that nothing here depends on the day the suite runs:
 * - a run for a past day (`--today 2026-10-06`) keeps the history that day and later ones need;
 * - a day on which a source with a baseline stored nothing carries a source-silent alarm;
 * - nothing configured and nothing stored is one sentence and exit 2.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ReportModel } from "../../src/core/report-model.ts";

let dir = "";
let dataDir = "";
const samples = () => join(dir, "sample");

function kansa(args: string[], extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, KANSA_DATA_DIR: dataDir, REPORT_TIMEZONE: "Asia/Tokyo", LOG_LEVEL: "error",
    // A wall clock far past the data: the retention of 62 days, counted from it, would delete all of it.
    KANSA_NOW: "2027-06-01T00:00:00Z",
    ...extra,
  };
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { env, encoding: "utf8", timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Status { totalEvents: number; sources: { source: string; tenant: string; events: number }[] }

before(() => {
  dir = mkdtempSync(join(tmpdir(), "kansa-unattended-"));
  dataDir = join(dir, "data");
  const generated = spawnSync(process.execPath, [
    "--import", "tsx", "scripts/generate-sample.ts", "--out", samples(), "--from", "2026-09-01", "--to", "2026-10-31",
    "--seed", "5", "--people", "20", "--console-per-day", "40", "--auth0-total", "600",
  ], { encoding: "utf8" });
  assert.equal(generated.status, 0, generated.stderr);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test("nothing configured and nothing stored: `kansa run` says what to set and exits 2", () => {
  const ran = kansa(["run", "--no-mail"]);
  assert.equal(ran.code, 2, ran.stderr);
  assert.equal(ran.stdout, "");
  assert.match(ran.stderr, /^kansa: Nothing to report: no source is configured and nothing is stored; set AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET \(auth0\), or KINTONE_HOSTNAME, KINTONE_ADMIN_ID and KINTONE_ADMIN_PW \(kintone\), or load exported files with `kansa import PATH`\.\n$/);
});

test("a run for a past day keeps every imported event, and the next day scores against a baseline", () => {
  const imported = kansa(["import", samples(), "--json"]);
  assert.equal(imported.code, 0, imported.stderr);
  const stored = (JSON.parse(imported.stdout) as { total: { stored: number } }).total.stored;
  assert.ok(stored > 2000, `stored ${stored}`);
  const before = JSON.parse(kansa(["status", "--json"]).stdout) as Status;
  assert.equal(before.totalEvents, stored);

  const ran = kansa(["run", "--today", "2026-10-06", "--no-mail", "--json"]);
  assert.equal(ran.code, 0, ran.stderr);
  const report = JSON.parse(ran.stdout) as ReportModel;
  assert.equal(report.day, "2026-10-05");
  assert.ok(report.notices?.some((n) => /^No source is configured/.test(n)), "imported data alone is reported, saying no source is configured");
  assert.deepEqual(report.alarms, [], "September is a baseline for both sources, and 5 October has events");

  const after = JSON.parse(kansa(["status", "--json"]).stdout) as Status;
  assert.equal(after.totalEvents, stored, "the run deleted nothing");
  assert.deepEqual(after.sources, before.sources);

  const scored = kansa(["score", "--today", "2026-10-07", "--feature-set", "classic"]);
  assert.equal(scored.code, 0, scored.stderr);
  assert.equal(scored.stderr, "", "no source lacks a baseline");
  const lines = scored.stdout.trim().split("\n").map((l) => JSON.parse(l) as { distance: number | null; baselineMonth: string });
  assert.ok(lines.length > 20, `${lines.length} events`);
  for (const line of lines) {
    assert.equal(line.baselineMonth, "2026-09");
    assert.ok(typeof line.distance === "number" && Number.isFinite(line.distance), JSON.stringify(line));
  }
});

test("a day on which a source with a baseline stored nothing carries a source-silent alarm; scoring a day without a baseline says why", () => {
  // The store holds September and October (imported above). Monday 2 November has no event at all.
  const ran = kansa(["run", "--today", "2026-11-03", "--no-mail", "--json"]);
  assert.equal(ran.code, 0, `silence is an alarm, not a failure: ${ran.stderr}`);
  const report = JSON.parse(ran.stdout) as ReportModel;
  const silent = report.alarms.filter((a) => a.kind === "source-silent");
  assert.deepEqual(silent.map((a) => [a.source, a.observed, a.dayKind, a.month]).sort(), [["auth0", 0, "weekday", "2026-10"], ["kintone", 0, "weekday", "2026-10"]]);
  for (const alarm of silent) assert.ok((alarm.expected ?? 0) >= 1, JSON.stringify(alarm));

  const summary = kansa(["run", "--today", "2026-11-03", "--no-mail"]);
  assert.equal(summary.code, 0, summary.stderr);
  assert.match(summary.stdout, /2 alarm\(s\)/);
  assert.match(summary.stdout, /ALARM source-silent: kintone \S+ stored no event for 2026-11-02 \(a weekday\)/);

  // 1 September's baseline month (August) holds nothing: each line says why it has no distance.
  const scored = kansa(["score", "--today", "2026-09-02", "--feature-set", "classic"]);
  assert.equal(scored.code, 0, scored.stderr);
  const warnings = scored.stderr.trim().split("\n");
  assert.equal(warnings.length, 2, scored.stderr);
  for (const w of warnings) assert.match(w, /^kansa: No baseline for (auth0|kintone) .*: 2026-08 has 0 stored event\(s\), fewer than MIN_BASELINE_EVENTS \(100\).*kansa backfill --month 2026-08/);
  const lines = scored.stdout.trim().split("\n").map((l) => JSON.parse(l) as { distance: number | null; reason?: string });
  assert.ok(lines.length > 0);
  for (const line of lines) {
    assert.equal(line.distance, null);
    assert.match(line.reason ?? "", /^No baseline for /);
  }
});
