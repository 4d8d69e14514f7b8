import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defaultRange } from "../../src/tools/generator/index.ts";

test("scripts/generate-sample.ts writes a sample folder and labels, and refuses bad flags with a sentence", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kansa-script-"));
  try {
    const out = join(dir, "sample");
    const labels = join(dir, "labels.json");
    const args = ["--import", "tsx", "scripts/generate-sample.ts", "--out", out, "--from", "2026-09-01", "--to", "2026-10-05", "--seed", "3", "--people", "30", "--console-per-day", "60", "--auth0-total", "400", "--anomalies", "--labels", labels, "--encoding", "sjis"];
    const result = spawnSync(process.execPath, args, { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { consoleRows: number; auth0Events: number; consoleFiles: number; labels: number };
    const written = JSON.parse(await readFile(labels, "utf8")) as unknown[];
    assert.equal(summary.labels, written.length);
    assert.ok(written.length > 40);
    assert.equal(summary.consoleFiles, 2);
    assert.deepEqual((await readdir(join(out, "console"))).sort(), ["audit-log_2026-09.csv", "audit-log_2026-10.csv"]);
    // Ordinary volume exactly as asked, plus the injected events.
    assert.ok(summary.consoleRows > 60 * 35 && summary.auth0Events > 400);
    assert.ok((await readdir(join(out, "auth0", "2026"))).length >= 2);

    const bad = spawnSync(process.execPath, ["--import", "tsx", "scripts/generate-sample.ts", "--out", out, "--console-per-day", "many"], { encoding: "utf8" });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--console-per-day must be a non-negative integer/);
    const badDay = spawnSync(process.execPath, ["--import", "tsx", "scripts/generate-sample.ts", "--out", out, "--from", "2026-02-30"], { encoding: "utf8" });
    assert.equal(badDay.status, 1);
    assert.match(badDay.stderr, /not a calendar day/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the default range is the two whole months before the current one", () => {
  assert.deepEqual(defaultRange(new Date("2026-11-23T07:00:00Z")), { from: "2026-09-01", to: "2026-10-31" });
  assert.deepEqual(defaultRange(new Date("2026-01-05T00:00:00Z")), { from: "2025-11-01", to: "2025-12-31" });
});
