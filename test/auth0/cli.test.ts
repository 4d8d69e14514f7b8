/**
 * The real commands against the emulated tenant: `kansa collect --source auth0` (all 2,400
 * entries exactly once through a 429 every fifth request, nothing on a second run; a SIGKILL
 * mid-pull and a rerun), wrong credentials, and `kansa emulate auth0` itself.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startAuth0Emulator, type Auth0Emulator } from "../../src/tools/auth0-emulator/index.ts";
import { writeAuth0Ndjson } from "../../src/tools/generator/auth0-files.ts";
import type { Auth0LogEvent } from "../../src/tools/generator/auth0-events.ts";
import { openDatabase } from "../../src/store/database.ts";
import { BIN, runKansa, type Ran } from "../helpers/cli.ts";
import { seededRandom } from "../helpers/seed.ts";
import { SECRET, recentEvents } from "./helpers.ts";


function env(emulator: Auth0Emulator, dataDir: string, secret = SECRET): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AUTH0_|DATABASE_URL|KANSA_|LOG_LEVEL|KINTONE_)/.test(key)) base[key] = value;
  }
  return { ...base, AUTH0_DOMAIN: emulator.url, AUTH0_CLIENT_ID: emulator.clientId, AUTH0_CLIENT_SECRET: secret, AUTH0_TENANT: "cli.auth0.com", KANSA_DATA_DIR: dataDir, LOG_LEVEL: "info" };
}

function kansa(args: string[], environment: NodeJS.ProcessEnv, onStart?: (kill: () => void) => void): Promise<Ran> {
  return runKansa(args, environment, (child) => onStart?.(() => child.kill("SIGKILL")));
}

async function countStored(dataDir: string): Promise<{ n: number; distinct: number }> {
  const db = await openDatabase({ dataDir });
  try {
    const rows = await db.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT "externalId")::int AS "distinct" FROM "AuditEvent" WHERE source = 'auth0'`);
    return rows[0]!;
  } finally {
    await db.close();
  }
}

test("kansa collect --source auth0 stores all 2,400 entries exactly once through a 429 every fifth request, and a second run stores none", async () => {
  const events = recentEvents(2400, 20);
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", faults: { rateLimitEvery: 5 } });
  const dataDir = mkdtempSync(join(tmpdir(), "kansa-auth0-cli-"));
  try {
    const first = await kansa(["collect", "--source", "auth0", "--json"], env(emulator, dataDir));
    assert.equal(first.code, 0, first.stderr);
    const result = JSON.parse(first.stdout) as { stored: number; duplicates: number; collected: number; errors: string[]; stats: Record<string, number>; cursor: string };
    assert.deepEqual(result.errors, []);
    assert.equal(result.collected, 2400);
    assert.equal(result.stored, 2400);
    assert.equal(result.duplicates, 0);
    assert.ok(emulator.stats.rateLimited >= 5, `429s answered: ${emulator.stats.rateLimited}`);
    assert.equal(result.stats.retries, emulator.stats.rateLimited);
    assert.equal(result.cursor, String((events[2399] as { log_id: string }).log_id));

    const second = await kansa(["collect", "--source", "auth0", "--json"], env(emulator, dataDir));
    assert.equal(second.code, 0, second.stderr);
    const again = JSON.parse(second.stdout) as { stored: number; collected: number; errors: string[] };
    assert.deepEqual(again.errors, []);
    assert.equal(again.stored, 0);
    assert.equal(again.collected, 0, "resumed from the cursor: nothing re-read");
    assert.deepEqual(await countStored(dataDir), { n: 2400, distinct: 2400 });
    assert.ok(!`${first.stdout}${first.stderr}${second.stdout}${second.stderr}`.includes(SECRET), "the secret is in no output");
  } finally {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a kansa collect killed (SIGKILL) between two pages, then run again: no gap and no duplicate", async (t) => {
  // Killed once the tenant has served the p-th page (p from the seed) of 24.
  const { random, seed } = seededRandom(t, import.meta.filename);
  const page = random.int(3, 12);
  const when = `${seed}: killed after page ${page}`;
  const events = recentEvents(2400, 20);
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", faults: { slowMs: 150 } });
  const dataDir = mkdtempSync(join(tmpdir(), "kansa-auth0-kill-"));
  try {
    const killed = await kansa(["collect", "--source", "auth0", "--json"], env(emulator, dataDir), (kill) => {
      const timer = setInterval(() => {
        if (emulator.stats.pages >= page) {
          clearInterval(timer);
          kill();
        }
      }, 10);
    });
    assert.equal(killed.signal, "SIGKILL", when);
    const partial = await countStored(dataDir);
    assert.ok(partial.n > 0 && partial.n < 2400, `${when}: stored before the kill: ${partial.n}`);

    emulator.faults.slowMs = 0;
    const rerun = await kansa(["collect", "--source", "auth0", "--json"], env(emulator, dataDir));
    assert.equal(rerun.code, 0, `${when}: ${rerun.stderr}`);
    const result = JSON.parse(rerun.stdout) as { stored: number; duplicates: number; errors: string[] };
    assert.deepEqual(result.errors, [], when);
    assert.ok(result.duplicates <= 100, `${when}: at most the one page stored but not yet marked: ${result.duplicates}`);
    assert.equal(partial.n + result.stored, 2400, when);
    assert.deepEqual(await countStored(dataDir), { n: 2400, distinct: 2400 }, when);
  } finally {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("kansa collect with a wrong secret fails at once with the domain, the step and the status, and no secret", async () => {
  const emulator = await startAuth0Emulator({ events: recentEvents(20), clientSecret: "the-real-secret-of-the-tenant", rate: "off" });
  const dataDir = mkdtempSync(join(tmpdir(), "kansa-auth0-wrong-"));
  try {
    const ran = await kansa(["collect", "--source", "auth0"], env(emulator, dataDir));
    assert.equal(ran.code, 1);
    const output = `${ran.stdout}${ran.stderr}`;
    assert.ok(output.includes(new URL(emulator.url).host), output);
    assert.match(output, /token request: HTTP 401/);
    assert.ok(!output.includes(SECRET));
    assert.equal(emulator.stats.tokenRequests, 1, "credentials refused are not retried");
  } finally {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("kansa emulate auth0 serves the events of --data files and stops on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kansa-auth0-emulate-"));
  let stop = () => {};
  try {
    const events = recentEvents(150, 5) as Auth0LogEvent[];
    const file = join(dir, "events.ndjson");
    await writeAuth0Ndjson(events, file);
    const child = spawn(process.execPath, [BIN, "emulate", "auth0", "--data", file, "--json", "--rate", "off", "--client-secret", "emulate-secret-123"], {
      env: { ...process.env, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    stop = () => void child.kill("SIGKILL");
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("close", () => reject(new Error("exited before printing")));
    });
    const info = JSON.parse(line) as { url: string; clientId: string; clientSecret: string | null; events: number };
    assert.equal(info.events, 150);
    assert.equal(info.clientSecret, null, "a secret given on the command line is not echoed");
    const tokenRes = await fetch(`${info.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: info.clientId, client_secret: "emulate-secret-123", audience: `${info.url}/api/v2/` }),
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const page = await fetch(`${info.url}/api/v2/logs?from=${events[0]!.log_id}&take=100`, { headers: { authorization: `Bearer ${access_token}` } });
    assert.deepEqual(((await page.json()) as { log_id: string }[]).map((e) => e.log_id), events.slice(1, 101).map((e) => e.log_id));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  } finally {
    stop(); // a no-op once it has exited
    rmSync(dir, { recursive: true, force: true });
  }
});
