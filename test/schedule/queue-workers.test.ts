/**
 * Issue 26's must-hold, on a real PostgreSQL: three organisations (acme: a console and an Auth0
 * tenant; birch: the same; cedar: an Auth0 tenant), all emulated (test/helpers/portfolio.ts), two
 * `kansa worker --concurrency 2 --no-schedule` processes on one DATABASE_URL, and `kansa enqueue
 * --today D`. As soon as a worker logs "collection started" for a console, that worker (its process
 * group; Playwright starts Chromium in a group of its own, which ends when its pipe to the dead
 * worker closes) is killed with SIGKILL while the collection is under way (the
 * consoles answer each audit-log page after 3 s, so a collection takes several seconds). The other
 * worker takes the job over once it expires (JOB_EXPIRE_SECONDS=15), and `kansa enqueue --today D
 * --wait` exits 0. Then:
 * - every event is stored exactly once: per (source, tenant), the count equals what the emulator
 *   holds for the range collected (Auth0: the very log_ids), and no other tenant is stored;
 * - exactly one mail per organisation, to its own recipients only, whose text and HTML name its
 *   own accounts (prefix "acme_") and none of the other organisations';
 * - no secret (console passwords, Auth0 client secrets) appears in the workers' or enqueue's
 *   output, in the Run, Report, Collection tables or pg-boss's jobs, or in the mails.
 * The clock is fixed (KANSA_NOW, --today) so the test does not depend on the date it runs.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { BIN, ROOT, cliEnv, runKansa, type Ran } from "../helpers/cli.ts";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";
import { startPortfolio, type Portfolio } from "../helpers/portfolio.ts";
import { chromiumExecutable } from "../../src/sources/kintone/settings.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { waitFor, withStore } from "./helpers.ts";

const CHROMIUM = chromiumExecutable(process.env.CHROMIUM_PATH);
const pgSkip = postgresTestSkip();
const skip: string | false = pgSkip || (CHROMIUM ? false : "Chromium is missing (apt-get install chromium, or set CHROMIUM_PATH): the consoles cannot be scraped");

/** The run date; the reported day is the one before. */
const TODAY = "2026-11-18";

/** A JSON log line of a worker. */
type LogLine = Record<string, unknown> & { msg?: string };

/** A `kansa worker` child in a process group of its own (SIGKILL reaches whatever it started in it). */
class WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  stdout = "";
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private partial = { stdout: "", stderr: "" };

  constructor(
    readonly name: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(process.execPath, [BIN, "worker", "--concurrency", "2", "--no-schedule"], { env, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true });
    this.child.stdout!.on("data", (d: Buffer) => this.onOutput("stdout", d.toString()));
    this.child.stderr!.on("data", (d: Buffer) => this.onOutput("stderr", d.toString()));
    this.exited = new Promise((resolve) => this.child.on("close", (code, signal) => resolve({ code, signal })));
  }

  /** Keep the output and parse its pino JSON lines (from either stream: the logger's destination is not this test's business). */
  private onOutput(stream: "stdout" | "stderr", text: string): void {
    this[stream] += text;
    const parts = (this.partial[stream] + text).split("\n");
    this.partial[stream] = parts.pop() ?? "";
    for (const line of parts) {
      if (!line.startsWith("{")) continue;
      try {
        this.lines.push(JSON.parse(line) as LogLine);
      } catch {
        // Not a log line (a stray write); kept in `stdout` for the secret search.
      }
    }
  }

  logged(msg: string, match: Record<string, unknown> = {}): LogLine[] {
    return this.lines.filter((l) => l.msg === msg && Object.entries(match).every(([k, v]) => l[k] === v));
  }

  /** SIGKILL the whole process group. */
  kill(): void {
    if (this.child.pid !== undefined) process.kill(-this.child.pid, "SIGKILL");
  }

  /** SIGTERM and wait (SIGKILL after `ms`). */
  async stop(ms = 30_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        this.kill();
      } catch {
        // Already gone.
      }
    }, ms);
    await this.exited;
    clearTimeout(timer);
  }

  /** What it printed, for failure messages. */
  tail(): string {
    return `--- ${this.name} stdout ---\n${this.stdout.slice(-3000)}\n--- ${this.name} stderr ---\n${this.stderr.slice(-2000)}`;
  }
}

let pgServer: TestPostgres | null = null;
let portfolio: Portfolio | null = null;
let dataDir = "";
const workers: WorkerProcess[] = [];

before(async () => {
  if (skip) return;
  dataDir = mkdtempSync(join(tmpdir(), "kansa-queue-workers-"));
  pgServer = await startPostgres();
  portfolio = await startPortfolio({
    today: TODAY,
    organisations: [
      { name: "acme", consoles: 1, auth0Tenants: 1, people: 10 },
      { name: "birch", consoles: 1, auth0Tenants: 1, people: 10 },
      { name: "cedar", auth0Tenants: 1, people: 10 },
    ],
    consolePerDay: 400,
    // Each audit-log page of the consoles answers after 3 s: a console collection is under way for
    // several seconds after it starts, long enough to be killed in the middle.
    consoleSwitches: { slowMs: 3_000 },
  });
});

after(async () => {
  for (const w of workers) await w.stop(5_000).catch(() => undefined);
  await portfolio?.stop();
  await pgServer?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Every row of a table as JSON text (a table that does not exist gives none). */
async function dumpTable(client: pg.Client, schema: string, table: string): Promise<string> {
  const exists = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`, [schema, table]);
  if (exists.rowCount === 0) return "";
  const rows = await client.query<{ t: string }>(`SELECT row_to_json(x)::text AS t FROM "${schema}"."${table}" x`);
  return rows.rows.map((r) => r.t).join("\n");
}

test("two workers, one SIGKILLed mid-collection: every event stored once, one mail per organisation with its own events, no secret anywhere", { skip, timeout: 240_000 }, async (t) => {
  const p = portfolio!;
  const smtp = p.smtp!;
  const databaseUrl = await pgServer!.createDatabase();
  // Migrated first, as Heroku's release phase does before the dynos start.
  await withStore({ databaseUrl }, async (db) => void (await migrateDatabase(db)));
  const env = cliEnv({
    DATABASE_URL: databaseUrl,
    KANSA_CONFIG: JSON.stringify(p.config),
    ...p.env,
    SMTP_URL: smtp.url,
    MAIL_FROM: "kansa <kansa@example.com>",
    KANSA_NOW: p.now,
    KANSA_DATA_DIR: dataDir,
    JOB_EXPIRE_SECONDS: "15",
    CHROMIUM_PATH: CHROMIUM!,
    LOG_LEVEL: "info",
  });
  const outputs: Ran[] = [];

  workers.push(new WorkerProcess("worker 1", env), new WorkerProcess("worker 2", env));
  const enqueued = await runKansa(["enqueue", "--today", TODAY], env);
  outputs.push(enqueued);
  assert.equal(enqueued.code, 0, `kansa enqueue: ${enqueued.stderr.slice(-2000)}`);

  // The first console collection to start: kill its worker while the collection is under way.
  const found: Array<{ worker: WorkerProcess; line: LogLine }> = [];
  await waitFor(
    () => {
      for (const worker of workers) {
        const line = worker.logged("collection started", { source: "kintone", today: TODAY })[0];
        if (line && found.length === 0) found.push({ worker, line });
      }
      return found.length > 0;
    },
    90_000,
    `a worker logging "collection started" for a console\n${workers.map((w) => w.tail()).join("\n")}`,
  ).catch((error: Error) => assert.fail(error.message));
  const { worker: victim, line: startedLine } = found[0]!;
  const survivor = workers.find((w) => w !== victim)!;
  const killedOrg = startedLine.org as string;
  const killedTenant = startedLine.tenant as string;
  victim.kill();
  const killedAt = Date.now();
  const death = await victim.exited;
  assert.equal(death.signal, "SIGKILL", "the worker died by SIGKILL");
  assert.deepEqual(victim.logged("collection finished", { org: killedOrg, source: "kintone", tenant: killedTenant }), [], "the killed collection had not finished when its worker was killed");

  // The survivor takes the expired job over; enqueue --wait returns when every job has ended.
  const waited = await runKansa(["enqueue", "--today", TODAY, "--wait", "--timeout", "170"], env);
  outputs.push(waited);
  assert.equal(waited.code, 0, `kansa enqueue --wait: ${waited.stdout.slice(-2000)}\n${waited.stderr.slice(-2000)}\n${survivor.tail()}`);
  const takenOver = survivor.logged("collection started", { org: killedOrg, source: "kintone", tenant: killedTenant });
  assert.ok(takenOver.length >= 1, `the other worker started the killed collection again (${killedOrg} ${killedTenant})\n${survivor.tail()}`);
  t.diagnostic(`killed ${victim.name} in ${killedOrg} ${killedTenant}'s collection; ${survivor.name} took it over ${((Number(takenOver[0]!.time) - killedAt) / 1000).toFixed(1)} s later`);
  assert.ok(
    survivor.logged("collection finished", { org: killedOrg, source: "kintone", tenant: killedTenant }).length >= 1,
    `the other worker finished the killed collection (${killedOrg} ${killedTenant})\n${survivor.tail()}`,
  );
  const organisations = p.organisations.map((o) => o.name);
  for (const org of organisations) {
    const printed = waited.stdout.split("\n").filter((l) => l.includes(org));
    assert.ok(printed.length >= 1, `the summary has a line for ${org}: ${waited.stdout}`);
  }

  // Every event stored exactly once.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let dump = "";
  try {
    const stored = await client.query<{ source: string; tenant: string; n: number }>(`SELECT source, tenant, count(*)::int AS n FROM "AuditEvent" GROUP BY source, tenant ORDER BY source, tenant`);
    const expected = p.expected.map((e) => ({ source: e.source, tenant: e.tenant, n: e.count })).sort((a, b) => `${a.source} ${a.tenant}`.localeCompare(`${b.source} ${b.tenant}`));
    assert.deepEqual(stored.rows.sort((a, b) => `${a.source} ${a.tenant}`.localeCompare(`${b.source} ${b.tenant}`)), expected, "per (source, tenant): what the emulators hold for the range collected, once");
    for (const e of p.expected) {
      if (!e.externalIds) continue;
      const ids = await client.query<{ id: string }>(`SELECT "externalId" AS id FROM "AuditEvent" WHERE source = $1 AND tenant = $2`, [e.source, e.tenant]);
      assert.deepEqual(ids.rows.map((r) => r.id).sort(), [...e.externalIds].sort(), `${e.source} ${e.tenant}: the very log_ids the tenant holds`);
    }
    for (const table of ["Run", "Report", "Collection", "OrganisationTenant", "SourceCursor"]) dump += await dumpTable(client, "public", table);
    for (const table of ["job", "archive"]) dump += await dumpTable(client, "kansa_jobs", table);
    assert.ok(dump.includes(killedTenant), "the dump holds the tables (sanity)");
  } finally {
    await client.end();
  }

  // Exactly one mail per organisation, to its own recipients, with its own accounts only.
  await waitFor(() => smtp.received.length >= organisations.length, 30_000, `${organisations.length} mails (got ${smtp.received.length})`);
  await new Promise((r) => setTimeout(r, 2_000)); // a duplicate would have arrived by now
  assert.equal(smtp.received.length, organisations.length, `one mail per organisation: ${smtp.received.map((m) => m.envelopeTo.join(",")).join(" | ")}`);
  for (const org of p.organisations) {
    const mails = smtp.received.filter((m) => m.envelopeTo.some((to) => org.sendTo.includes(to)));
    assert.equal(mails.length, 1, `one mail to ${org.name}'s recipients`);
    const mail = mails[0]!;
    assert.deepEqual([...mail.envelopeTo].sort(), [...org.sendTo].sort(), `${org.name}'s mail goes to its sendTo only`);
    const text = String(mail.parsed.text ?? "");
    const html = typeof mail.parsed.html === "string" ? mail.parsed.html : "";
    assert.ok(text.includes(org.prefix) && html.includes(org.prefix), `${org.name}'s mail names its own accounts (${org.prefix}…)`);
    for (const other of p.organisations.filter((o) => o !== org)) {
      assert.ok(!mail.raw.includes(other.prefix) && !text.includes(other.prefix) && !html.includes(other.prefix), `${org.name}'s mail holds none of ${other.name}'s events (${other.prefix}…)`);
    }
  }

  // No secret anywhere.
  await survivor.stop();
  const everything = [
    ...workers.flatMap((w) => [w.stdout, w.stderr]),
    ...outputs.flatMap((o) => [o.stdout, o.stderr]),
    dump,
    ...smtp.received.map((m) => m.raw),
  ].join("\n");
  for (const secret of p.secrets) assert.ok(!everything.includes(secret), `a secret (${secret.slice(0, 3)}…) appears in the logs, the output, the database or a mail`);
});
