/**
 * Issue 21, point 10, through the real commands: `kansa collect --source auth0` against a tenant
 * that starts answering 500 to everything mid-pull says each retry on stderr at the default log
 * level, gives up within AUTH0_MAX_RETRY_WAIT_SECONDS and exits 1, having kept what it stored and
 * the cursor of the last stored page; `kansa run` then reports the source as failed and exits 1.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAuth0Emulator, type Auth0Emulator } from "../../src/tools/auth0-emulator/index.ts";
import { openDatabase } from "../../src/store/database.ts";
import { readCursor } from "../../src/store/cursors.ts";
import { SECRET, recentEvents } from "./helpers.ts";

const BIN = join(import.meta.dirname, "..", "..", "bin", "kansa.js");
const TENANT = "storm.auth0.com";

/** The test's environment without the developer's own kansa settings; LOG_LEVEL left at its default. */
function env(emulator: Auth0Emulator, dataDir: string): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AUTH0_|DATABASE_URL|KANSA_|LOG_LEVEL|KINTONE_|SMTP_|MAIL|SEND_TO)/.test(key)) base[key] = value;
  }
  return { ...base, AUTH0_DOMAIN: emulator.url, AUTH0_CLIENT_ID: emulator.clientId, AUTH0_CLIENT_SECRET: SECRET, AUTH0_TENANT: TENANT, AUTH0_MAX_RETRY_WAIT_SECONDS: "3", KANSA_DATA_DIR: dataDir };
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function kansa(args: string[], environment: NodeJS.ProcessEnv, whileRunning?: () => void): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: environment, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = whileRunning ? setInterval(whileRunning, 5) : null;
    // A hang is a failure of this test, not a test run that never ends.
    const guard = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearInterval(timer);
      clearTimeout(guard);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The retry lines (warn) of a JSON-lines stderr. */
function retryLines(stderr: string): { msg: string; source?: string }[] {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { level: number; msg: string; source?: string })
    .filter((l) => l.level === 40 && / retry \d+ of at most \d+ in /.test(l.msg));
}

test("kansa collect against a tenant that starts answering 500 mid-pull: each retry on stderr, gives up within AUTH0_MAX_RETRY_WAIT_SECONDS, exit 1, what was stored and its cursor kept; kansa run reports the source failed", async () => {
  const events = recentEvents(1000, 10);
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", faults: { slowMs: 100 } });
  const dataDir = mkdtempSync(join(tmpdir(), "kansa-auth0-storm-"));
  const host = new URL(emulator.url).host;
  try {
    let stormStartedAt = 0;
    const collect = await kansa(["collect", "--source", "auth0", "--json"], env(emulator, dataDir), () => {
      if (stormStartedAt === 0 && emulator.stats.pages >= 2) {
        stormStartedAt = Date.now();
        emulator.faults.serverErrorNext = 1_000_000;
      }
    });
    const gaveUpAfter = Date.now() - stormStartedAt;
    assert.ok(stormStartedAt > 0, `the storm began (${collect.stderr})`);
    assert.equal(collect.code, 1, collect.stderr);
    // AUTH0_MAX_RETRY_WAIT_SECONDS=3 from the first 500, plus the process's exit.
    assert.ok(gaveUpAfter < 3_000 + 4_000, `exited ${gaveUpAfter} ms after the storm began`);

    const lines = retryLines(collect.stderr);
    assert.ok(lines.length >= 1, `retry lines on stderr at the default level:\n${collect.stderr}`);
    assert.equal(lines.length, emulator.stats.serverErrors - 1, "one line for each 500 but the last");
    for (const [i, line] of lines.entries()) {
      assert.equal(line.source, "auth0");
      assert.match(line.msg, new RegExp(`^Auth0 ${host.replace(/\./g, "\\.")}: checkpoint page after log_id \\d+: HTTP 500 [^;]*; retry ${i + 1} of at most \\d+ in `));
    }

    const result = JSON.parse(collect.stdout) as { stored: number; errors: string[]; cursor: string | null };
    assert.equal(result.errors.length, 1);
    const error = result.errors[0]!;
    assert.ok(error.includes(host), error);
    assert.match(error, /gave up at checkpoint page after log_id \d+/);
    assert.match(error, /AUTH0_MAX_RETRY_WAIT_SECONDS=3 reached/);
    assert.match(error, /last status: HTTP 500/);
    assert.ok(result.stored > 0 && result.stored < 1000, `stored before the storm: ${result.stored}`);
    assert.ok(!`${collect.stdout}${collect.stderr}`.includes(SECRET), "no secret");

    const db = await openDatabase({ dataDir });
    try {
      const [last] = await db.query<{ externalId: string; n: number }>(`SELECT max("externalId") AS "externalId", count(*)::int AS n FROM "AuditEvent" WHERE source = 'auth0'`);
      assert.equal(last!.n, result.stored, "what came before the storm stays stored");
      const cursor = await readCursor(db, "auth0", TENANT);
      assert.equal(cursor?.cursor, last!.externalId, "the cursor is the last stored page's");
      assert.equal(cursor?.lastSuccessAt, null, "a pull that gave up is not a success");
    } finally {
      await db.close();
    }

    const run = await kansa(["run", "--no-mail", "--json"], env(emulator, dataDir));
    assert.equal(run.code, 1, run.stderr);
    assert.ok(retryLines(run.stderr).length >= 1, "the run says its retries too");
    const report = JSON.parse(run.stdout) as { alarms: { kind: string; source: string; tenant: string; detail: string }[] };
    const failed = report.alarms.filter((a) => a.kind === "source-failed");
    assert.equal(failed.length, 1, JSON.stringify(report.alarms));
    assert.equal(failed[0]!.source, "auth0");
    assert.equal(failed[0]!.tenant, TENANT);
    assert.match(failed[0]!.detail, /gave up at checkpoint page after log_id \d+ .*last status: HTTP 500/);
  } finally {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
