/**
 * `npm run bench -- workers [--orgs 50] [--people 80] [--workers 1,2,4] [--concurrency 1]`: the
 * day's wall time of a portfolio (issue 26) on the PostgreSQL job queue, with 1, 2 and 4
 * `kansa worker` processes.
 *
 * Setup (not timed): a throwaway PostgreSQL 15; N organisations of P people (test/helpers/
 * portfolio.ts), each with an emulated console and an emulated Auth0 tenant (servers in the
 * bench's own process on loopback ports, two per organisation; Auth0's rate limit off), holding
 * the reported day D-1 and the day before; the previous month (October) generated as
 * files and imported with `kansa import --org NAME` (two imports at a time); then a warm-up day
 * (`kansa enqueue --today D-1 --wait` with the largest worker count), which computes October's
 * baselines and leaves each source a cursor, as in a deployment's ordinary day. That database
 * is the template of every round.
 *
 * Each round: a fresh database copied from the template (CREATE DATABASE ... TEMPLATE), W workers
 * (`kansa worker --concurrency C --no-schedule`, default C = 1) started and ready (their start-up
 * is not timed), then `kansa enqueue --today D --wait`: the wall time runs from the enqueue to the
 * moment it has exited and the SMTP catcher holds every organisation's mail. Jobs = the day's
 * completed pg-boss jobs (data.today = D: N collections × 2 sources + N reports; the template's
 * warm-up jobs are not counted); jobs/s = jobs / wall time.
 * peakRssMbPerWorker is the largest VmHWM of a worker's node process (its Chromium not counted);
 * peakTreeRssMbPerWorker the largest sum of RSS over a worker's process tree (node + Chromium),
 * sampled every second. The machine may be shared: loadavg before and after each round is given,
 * and CPU seconds per job (the workers' process trees, Chromium included, and PostgreSQL's), which
 * do not grow with other people's load the way wall time does.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { BIN, ROOT, cliEnv, runKansa } from "../test/helpers/cli.ts";
import { PG_BIN, startPostgres, type TestPostgres } from "../test/helpers/postgres.ts";
import { addDays, startPortfolio, type Portfolio } from "../test/helpers/portfolio.ts";
import { chromiumExecutable } from "../src/sources/kintone/settings.ts";

/** The run date of the measured day (fixed, so the figures do not depend on when the bench runs). */
const TODAY = "2026-11-18";
const BASELINE_MONTH = { from: "2026-10-01", to: "2026-10-31" };

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function load(): number[] {
  return loadavg().map((l) => round(l));
}

function say(text: string): void {
  process.stderr.write(`workers bench: ${text}\n`);
}

/** KiB of a /proc/PID/status field (VmHWM, VmRSS), 0 when the process is gone. */
function statusKb(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Every process's parent, read from /proc: ppid → children. */
function processTree(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields) continue;
    const ppid = Number(fields[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  return children;
}

/** The fields of /proc/PID/stat after the command (state, ppid, ...), or null when it is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** `root` and its descendants. */
function descendants(root: number, tree = processTree()): number[] {
  const out: number[] = [];
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    out.push(pid);
    pending.push(...(tree.get(pid) ?? []));
  }
  return out;
}

/**
 * Sum of VmRSS (KiB) over `root` and its descendants (Playwright starts Chromium in a process
 * group of its own, so the worker's group would miss it).
 */
function treeRssKb(root: number): number {
  return descendants(root).reduce((sum, pid) => sum + statusKb(pid, "VmRSS"), 0);
}

/** Clock ticks a second (USER_HZ; 100 on Linux). */
const TICKS = 100;

/**
 * CPU seconds of `root` and its descendants: each process's own user + system time, plus the time
 * of the children it has already reaped (Chromium's ended processes, PostgreSQL's closed backends).
 */
function treeCpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of descendants(root)) {
    const f = statFields(pid);
    // utime, stime, cutime, cstime are fields 14-17 of stat, 12-15 after the command.
    if (f) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return ticks / TICKS;
}

/** A `kansa worker` in a process group of its own; ready once it logs "working the job queue". */
class Worker {
  readonly child: ChildProcess;
  output = "";
  peakTreeKb = 0;
  readonly exited: Promise<void>;

  constructor(env: NodeJS.ProcessEnv, concurrency: number) {
    this.child = spawn(process.execPath, [BIN, "worker", "--concurrency", String(concurrency), "--no-schedule"], { env, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const keep = (d: Buffer) => {
      // Keep the start and the end only: a day's log of a worker is a few MB.
      this.output = (this.output + d.toString()).slice(-200_000);
    };
    this.child.stdout!.on("data", keep);
    this.child.stderr!.on("data", keep);
    this.exited = new Promise((resolve) => this.child.on("close", () => resolve()));
  }

  get ready(): boolean {
    return this.output.includes('"msg":"working the job queue"');
  }

  sample(): void {
    if (this.child.pid !== undefined) this.peakTreeKb = Math.max(this.peakTreeKb, treeRssKb(this.child.pid));
  }

  /** CPU seconds of the worker and what it started, so far. */
  cpuSeconds(): number {
    return this.child.pid === undefined ? 0 : treeCpuSeconds(this.child.pid);
  }

  /** Peak RSS of the node process (KiB). */
  peakKb(): number {
    return this.child.pid === undefined ? 0 : statusKb(this.child.pid, "VmHWM");
  }

  async stop(): Promise<void> {
    if (this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    process.kill(-this.child.pid, "SIGTERM");
    const timer = setTimeout(() => {
      try {
        process.kill(-this.child.pid!, "SIGKILL");
      } catch {
        // Gone.
      }
    }, 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Restart the throwaway cluster with room for `connections` clients: each worker holds up to
 * about ten (pg-boss's pool of 4, the store's pool of 5, a job's lock), and the test cluster
 * allows 40. The restart reuses the cluster's own options (postmaster.opts) but that one.
 */
async function allowConnections(server: TestPostgres, connections: number): Promise<void> {
  if (!server.dataDir) return;
  const opts = readFileSync(join(server.dataDir, "postmaster.opts"), "utf8");
  // `/usr/lib/postgresql/15/bin/postgres "-D" "/tmp/…/data" "-p" "5432" "-c" "…"`: the quoted arguments.
  const tokens = [...opts.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  const args: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === "-D") {
      i++;
      continue;
    }
    args.push(tokens[i]!.replace(/^max_connections=\d+$/, `max_connections=${connections}`));
  }
  // A log file, so that the server does not hold pg_ctl's output open (execFile would wait for it).
  const command = [join(PG_BIN, "pg_ctl"), "-D", server.dataDir, "-o", args.join(" "), "-l", join(dirname(server.dataDir), "server.log"), "-w", "-m", "fast", "restart"];
  const exec = promisify(execFile);
  if (process.getuid?.() === 0) await exec("runuser", ["-u", "postgres", "--", ...command]);
  else await exec(command[0]!, command.slice(1));
}

function databaseUrl(server: TestPostgres, name: string): string {
  const u = new URL(server.url);
  u.pathname = `/${name}`;
  return u.toString();
}

interface DayResult {
  workers: number;
  wallSeconds: number;
  jobs: number;
  jobsPerSecond: number;
  peakRssMbPerWorker: number;
  peakTreeRssMbPerWorker: number;
  /** CPU seconds of the workers (with their Chromium) per job, and of PostgreSQL per job, over the day. */
  workerCpuSecondsPerJob: number;
  postgresCpuSecondsPerJob: number | null;
  mails: number;
  loadavgBefore: number[];
  loadavgAfter: number[];
}

/** One day on `url` with `count` workers: start them, enqueue `today` and wait, stop them. */
async function runDay(options: { url: string; count: number; concurrency: number; today: string; env: NodeJS.ProcessEnv; portfolio: Portfolio; postmaster: number | null }): Promise<DayResult> {
  const { portfolio } = options;
  const smtp = portfolio.smtp!;
  smtp.received.splice(0);
  const env = { ...options.env, DATABASE_URL: options.url };
  const workers = Array.from({ length: options.count }, () => new Worker(env, options.concurrency));
  const sampler = setInterval(() => workers.forEach((w) => w.sample()), 1_000);
  try {
    await waitUntil(() => workers.every((w) => w.ready), 120_000, `${options.count} workers ready`);
    const loadavgBefore = load();
    const cpuBefore = workers.reduce((sum, w) => sum + w.cpuSeconds(), 0);
    const postgresBefore = options.postmaster === null ? null : treeCpuSeconds(options.postmaster);
    const started = performance.now();
    const enqueued = await runKansa(["enqueue", "--today", options.today, "--wait", "--timeout", "7200"], env);
    if (enqueued.code !== 0) throw new Error(`kansa enqueue --today ${options.today} --wait exited ${enqueued.code}: ${enqueued.stdout.slice(-1500)} ${enqueued.stderr.slice(-1500)}`);
    const organisations = portfolio.organisations.length;
    await waitUntil(() => smtp.received.length >= organisations, 300_000, `${organisations} mails (got ${smtp.received.length})`);
    const wallSeconds = (performance.now() - started) / 1000;
    const loadavgAfter = load();
    const workerCpu = workers.reduce((sum, w) => sum + w.cpuSeconds(), 0) - cpuBefore;
    const postgresCpu = options.postmaster === null || postgresBefore === null ? null : treeCpuSeconds(options.postmaster) - postgresBefore;
    const rows = await query<{ n: number }>(
      options.url,
      `SELECT count(*)::int AS n FROM (SELECT state, data FROM kansa_jobs.job UNION ALL SELECT state, data FROM kansa_jobs.archive) j WHERE state = 'completed' AND data->>'today' = '${options.today}'`,
    );
    const jobs = rows[0]?.n ?? 0;
    workers.forEach((w) => w.sample());
    return {
      workers: options.count,
      wallSeconds: round(wallSeconds, 1),
      jobs,
      jobsPerSecond: round(jobs / wallSeconds),
      peakRssMbPerWorker: Math.round(Math.max(...workers.map((w) => w.peakKb())) / 1024),
      peakTreeRssMbPerWorker: Math.round(Math.max(...workers.map((w) => w.peakTreeKb)) / 1024),
      workerCpuSecondsPerJob: round(workerCpu / jobs),
      postgresCpuSecondsPerJob: postgresCpu === null ? null : round(postgresCpu / jobs),
      mails: smtp.received.length,
      loadavgBefore,
      loadavgAfter,
    };
  } finally {
    clearInterval(sampler);
    await Promise.all(workers.map((w) => w.stop()));
  }
}

export async function run(options: Record<string, string> = {}): Promise<object> {
  const orgs = Number(options.orgs ?? 50);
  const people = Number(options.people ?? 80);
  const counts = (options.workers ?? "1,2,4").split(",").map(Number);
  const concurrency = Number(options.concurrency ?? 1);
  const chromium = chromiumExecutable(process.env.CHROMIUM_PATH);
  if (!chromium) throw new Error("Chromium is missing (apt-get install chromium, or set CHROMIUM_PATH)");
  const work = mkdtempSync(join(tmpdir(), "kansa-workers-bench-"));
  const setup: Record<string, number> = {};
  let server: TestPostgres | null = null;
  let portfolio: Portfolio | null = null;
  try {
    server = await startPostgres();
    if (!server) throw new Error("no PostgreSQL (see test/helpers/postgres.ts)");
    await allowConnections(server, Math.max(40, 20 + 12 * Math.max(...counts) * concurrency));
    const postmaster = server.dataDir ? Number(readFileSync(join(server.dataDir, "postmaster.pid"), "utf8").split("\n")[0]) : null;
    setup.maxConnections = Number((await query<{ max_connections: string }>(server.url, "SHOW max_connections"))[0]?.max_connections);
    let t = performance.now();
    say(`generating ${orgs} organisations of ${people} people (October as files, ${addDays(TODAY, -2)}..${addDays(TODAY, -1)} in the emulators)...`);
    portfolio = await startPortfolio({
      today: TODAY,
      days: 2,
      organisations: Array.from({ length: orgs }, (_, i) => ({ name: `org${String(i + 1).padStart(3, "0")}`, consoles: 1, auth0Tenants: 1, people })),
      importDir: join(work, "import"),
      importRange: BASELINE_MONTH,
    });
    setup.generateSeconds = round((performance.now() - t) / 1000, 1);
    const env = cliEnv({
      KANSA_CONFIG: JSON.stringify(portfolio.config),
      ...portfolio.env,
      SMTP_URL: portfolio.smtp!.url,
      MAIL_FROM: "kansa <kansa@example.com>",
      KANSA_DATA_DIR: join(work, "data"),
      CHROMIUM_PATH: chromium,
      LOG_LEVEL: "info",
    });

    // The template: migrated, October imported, a warm-up day run.
    const template = "workers_template";
    await query(server.url, `CREATE DATABASE ${template}`);
    const templateUrl = databaseUrl(server, template);
    const migrated = await runKansa(["db", "migrate"], { ...env, DATABASE_URL: templateUrl });
    if (migrated.code !== 0) throw new Error(`kansa db migrate: ${migrated.stderr.slice(-1500)}`);
    t = performance.now();
    say(`importing October (${portfolio.organisations.reduce((s, o) => s + o.importEvents, 0)} events)...`);
    const queue = [...portfolio.organisations];
    const importer = async () => {
      for (let org = queue.shift(); org; org = queue.shift()) {
        const ran = await runKansa(["import", "--org", org.name, ...org.importFiles], { ...env, DATABASE_URL: templateUrl, LOG_LEVEL: "warn" });
        if (ran.code !== 0) throw new Error(`kansa import --org ${org.name}: ${ran.stderr.slice(-1500)}`);
      }
    };
    await Promise.all([importer(), importer()]);
    setup.importSeconds = round((performance.now() - t) / 1000, 1);
    rmSync(join(work, "import"), { recursive: true, force: true });
    say(`warm-up day ${addDays(TODAY, -1)} (October's baselines, cursors) with ${Math.max(...counts)} workers...`);
    const warmUp = await runDay({ url: templateUrl, count: Math.max(...counts), concurrency, today: addDays(TODAY, -1), env: { ...env, KANSA_NOW: `${addDays(TODAY, -1)}T07:00:00+09:00` }, portfolio, postmaster });
    setup.warmUpSeconds = warmUp.wallSeconds;
    const stored = await query<{ n: number }>(templateUrl, `SELECT count(*)::int AS n FROM "AuditEvent"`);
    setup.templateEvents = stored[0]?.n ?? 0;

    const rounds: DayResult[] = [];
    for (const [i, count] of counts.entries()) {
      const name = `workers_round_${i + 1}`;
      await query(server.url, `CREATE DATABASE ${name} TEMPLATE ${template}`);
      say(`day ${TODAY} with ${count} worker(s) × concurrency ${concurrency}...`);
      const result = await runDay({ url: databaseUrl(server, name), count, concurrency, today: TODAY, env: { ...env, KANSA_NOW: portfolio.now }, portfolio, postmaster });
      say(JSON.stringify(result));
      rounds.push(result);
      await query(server.url, `DROP DATABASE ${name}`);
    }
    return {
      organisations: orgs,
      people,
      sourcesPerOrganisation: { console: 1, auth0: 1 },
      concurrencyPerWorker: concurrency,
      today: TODAY,
      consoleRowsOfTheDay: portfolio.expected.reduce((s, e) => s + (e.source === "kintone" ? e.count : 0), 0),
      seeding: "October imported with kansa import --org (each organisation's console CSV and Auth0 log-stream files), then a warm-up day (baselines, cursors); each round on a copy of that database",
      setup,
      rounds,
      loadavg: load(),
    };
  } finally {
    await portfolio?.stop();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
