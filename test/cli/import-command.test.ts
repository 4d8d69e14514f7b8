import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The real command line, on a throwaway embedded database.
let dataDir = "";
before(() => {
  dataDir = mkdtempSync(join(tmpdir(), "kansa-cli-"));
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

function kansa(...args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, KANSA_DATA_DIR: dataDir, CONSOLE_TIMEZONE: "Asia/Tokyo", LOG_LEVEL: "error" };
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { env, encoding: "utf8", timeout: 180_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("kansa import prints per-file and total counts, lists rejections, and stores nothing new the second time", () => {
  const first = kansa("import", "test/fixtures/console", "--json");
  assert.equal(first.code, 0, first.stderr);
  const summary = JSON.parse(first.stdout) as { database: string; total: { read: number; stored: number; rejected: number }; files: { file: string; rejections: { locator: string }[] }[] };
  assert.match(summary.database, /^embedded /);
  assert.deepEqual(summary.total, { files: 3, unreadable: 0, read: 20, stored: 7, duplicates: 11, rejected: 2 });
  const bad = summary.files.find((f) => f.file.endsWith("bad-middle.csv"))!;
  assert.deepEqual(bad.rejections.map((r) => r.locator), ["line 4", "line 6"]);

  const second = kansa("import", "test/fixtures/console");
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /bad-middle\.csv \(console CSV, UTF-8\): read 6, stored 0, duplicates 4, rejected 2/);
  assert.match(second.stdout, /  rejected line 4: the row has 3 cells, the header has 11/);
  assert.match(second.stdout, /Total: 3 files; read 20, stored 0, duplicates 18, rejected 2 \(nothing new: every record was already stored\)/);

  const status = kansa("status", "--json");
  assert.equal(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout) as { totalEvents: number; sources: { source: string; tenant: string; events: number; firstEventAt: string }[]; lastRuns: { kind: string; status: string }[] };
  assert.equal(s.totalEvents, 7);
  assert.deepEqual(s.sources.map((x) => [x.source, x.tenant, x.events]), [["kintone", "console", 7]]);
  assert.equal(s.sources[0]!.firstEventAt, "2026-09-30T16:00:00.000Z");
  assert.deepEqual(s.lastRuns.map((r) => [r.kind, r.status]), [["import", "partial"]]);
});

test("kansa import exits non-zero when nothing could be read", () => {
  const missing = kansa("import", join(dataDir, "no-such-folder"));
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /no-such-folder: not imported: no such file or folder/);
  assert.match(missing.stdout, /Total: 1 file, 1 not readable; read 0/);
});

test("kansa import exits 1 when every record it read was rejected, naming each one, and stores nothing", () => {
  const dir = mkdtempSync(join(tmpdir(), "kansa-all-bad-"));
  try {
    const file = join(dir, "all-bad.csv");
    writeFileSync(file, "Date,Level,Service,User,IP Address,User Agent,Module,Action,Result,Error Code,Complement\nnot,a,row\nalso,not\n");
    const result = kansa("import", file);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stdout, /rejected line 2: the row has 3 cells, the header has 11/);
    assert.match(result.stdout, /rejected line 3: the row has 2 cells, the header has 11/);
    assert.match(result.stdout, /Total: 1 file; read 2, stored 0, duplicates 0, rejected 2 \(nothing imported: every one of the 2 record\(s\) was rejected\)/);
    const runs = JSON.parse(kansa("status", "--json").stdout) as { lastRuns: { kind: string; status: string }[] };
    assert.deepEqual(runs.lastRuns[0] && [runs.lastRuns[0].kind, runs.lastRuns[0].status], ["import", "failed"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
