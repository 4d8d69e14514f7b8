/**
 * The Procfile as Heroku runs it: a fresh copy of the project (the files git would push), its
 * build step (`npm run build`: the Prisma client and the compiled dist/), then each process
 * type's command from the Procfile against a real PostgreSQL: `release:` applies the
 * migrations, the Scheduler's `kansa run` (compiled) reports an imported day, and `worker:`
 * starts, logs its next run and exits 0 on SIGTERM well within Heroku's 30 s. Commands run
 * through `bash -c`, as the dyno manager runs them.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";
import { generateDataset, writeSample } from "../../src/tools/generator/index.ts";
import type { ReportModel } from "../../src/core/report-model.ts";
import { upcomingRuns } from "../../src/schedule/worker.ts";
import { ROOT, ZONE, addDays, childEnv, runProcess, todayIn, withStore } from "./helpers.ts";

const skip = postgresTestSkip();

/** The Procfile's process types: name → command. */
function readProcfile(path: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^([A-Za-z0-9_-]+):\s*(.+?)\s*$/.exec(line);
    if (m) types.set(m[1]!, m[2]!);
  }
  return types;
}

/** Copy what a `git push` would send (tracked files, plus untracked files git does not ignore). */
function copyProject(to: string): number {
  const list = (args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).split("\n").filter(Boolean);
  const files = new Set([...list(["ls-files"]), ...list(["ls-files", "--others", "--exclude-standard"])]);
  let copied = 0;
  for (const file of files) {
    const source = join(ROOT, file);
    if (!existsSync(source) || !statSync(source).isFile()) continue; // deleted in the work tree
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(source, join(to, file));
    copied++;
  }
  symlinkSync(join(ROOT, "node_modules"), join(to, "node_modules"), "dir");
  return copied;
}

let pg: TestPostgres | null = null;
let app: string;
let work: string;
let procfile: Map<string, string>;
let databaseUrl: string;

before(async () => {
  if (skip) return;
  pg = await startPostgres();
  work = mkdtempSync(join(tmpdir(), "kansa-heroku-"));
  app = join(work, "app");
  mkdirSync(app);
  assert.ok(copyProject(app) > 50);
  assert.ok(!existsSync(join(app, "dist")), "the copy starts without a build");
  assert.ok(!existsSync(join(app, "src", "store", "generated")), "nor a generated Prisma client (it is ignored by git)");
  procfile = readProcfile(join(app, "Procfile"));
  databaseUrl = await pg!.createDatabase();
});

after(async () => {
  await pg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * The environment of a dyno: the config vars, with the app folder as the working directory and
 * HOME, and the Node buildpack's PATH (`…:$HOME/bin:$HOME/node_modules/.bin`), where the
 * Procfile's `kansa` is bin/kansa.
 */
function dynoEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const path = `${process.env.PATH}:${join(app, "bin")}:${join(app, "node_modules", ".bin")}`;
  return childEnv({ DATABASE_URL: databaseUrl, NODE_ENV: "production", HOME: app, PATH: path, ...extra });
}

test("Procfile: build, release (migrations), the scheduled kansa run, and the worker, in a fresh copy against PostgreSQL", { skip, timeout: 1_200_000 }, async (t) => {
  assert.deepEqual([...procfile.keys()].sort(), ["release", "worker"], "the Procfile declares release and worker");

  await t.test("npm run build generates the Prisma client and compiles to dist/", async () => {
    const built = await runProcess("npm", ["run", "build"], { env: childEnv({}), cwd: app });
    assert.equal(built.code, 0, `${built.stdout.slice(-3000)}\n${built.stderr.slice(-3000)}`);
    assert.ok(existsSync(join(app, "dist", "src", "cli.js")), "dist/src/cli.js exists");
    assert.ok(existsSync(join(app, "src", "store", "generated")), "the Prisma client was generated");
  });

  await t.test("release: applies every migration, recorded in _prisma_migrations; a second release applies none", async () => {
    const release = procfile.get("release")!;
    const first = await runProcess("/bin/bash", ["-c", release], { env: dynoEnv(), cwd: app });
    assert.equal(first.code, 0, `${first.stdout}\n${first.stderr}`);
    const migrations = readdirSync(join(app, "prisma", "migrations")).filter((name) => statSync(join(app, "prisma", "migrations", name)).isDirectory()).sort();
    assert.ok(migrations.length >= 1);
    const recorded = await withStore({ databaseUrl }, (db) =>
      db.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        `SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`,
      ),
    );
    assert.deepEqual(recorded.map((r) => r.migration_name), migrations);
    assert.ok(recorded.every((r) => r.finished_at !== null && r.rolled_back_at === null), "every migration finished");
    const tables = await withStore({ databaseUrl }, (db) => db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`));
    for (const table of ["AuditEvent", "Run", "Report", "Baseline"]) assert.ok(tables.some((r) => r.table_name === table), `table ${table} exists`);

    const second = await runProcess("/bin/bash", ["-c", release], { env: dynoEnv(), cwd: app });
    assert.equal(second.code, 0, second.stderr);
    const again = await withStore({ databaseUrl }, (db) => db.query<{ n: number }>(`SELECT count(*)::int AS n FROM _prisma_migrations`));
    assert.equal(again[0]!.n, migrations.length, "a release on an up-to-date database applies nothing twice");
  });

  const today = todayIn(ZONE);
  const day = addDays(today, -1);

  await t.test("the Scheduler's job: node dist/src/cli.js run --today D --no-mail --json reports the day before from imported data", async () => {
    const dataset = generateDataset({ seed: 5, people: 12, from: addDays(today, -3), to: day, timezone: ZONE, consolePerDay: 80, auth0PerDay: 12 });
    const sample = await writeSample(join(work, "sample"), { dataset, lang: "ja" });
    const env = dynoEnv({ KINTONE_TENANT: dataset.organisation.consoleHost, AUTH0_TENANT: dataset.organisation.auth0Domain });
    const imported = await runProcess(process.execPath, ["dist/src/cli.js", "import", ...sample.consoleFiles, ...sample.auth0Files], { env, cwd: app });
    assert.equal(imported.code, 0, imported.stderr);
    const consoleThatDay = dataset.consoleRows.filter((r) => r.cells.Date.startsWith(day)).length;

    const ran = await runProcess(process.execPath, ["dist/src/cli.js", "run", "--today", today, "--no-mail", "--json"], { env, cwd: app });
    assert.equal(ran.code, 0, ran.stderr);
    const report = JSON.parse(ran.stdout) as ReportModel;
    assert.equal(report.day, day);
    assert.equal(report.timezone, ZONE);
    assert.ok(Number.isFinite(Date.parse(report.generatedAt)));
    assert.ok((report.totalEvents ?? 0) >= consoleThatDay && consoleThatDay > 0, `the day's events: ${report.totalEvents} (console rows ${consoleThatDay})`);
    assert.equal(report.histogram.length, 24);
    assert.equal(report.histogram.reduce((sum, bin) => sum + bin.day, 0), report.totalEvents);
    for (const name of ["exports", "critical", "lateNight", "outliers"] as const) {
      const section = report.sections[name];
      assert.ok(Number.isInteger(section.total) && Array.isArray(section.items), `section ${name}`);
    }
    const runs = await withStore({ databaseUrl }, (db) => db.prisma.run.findMany({ where: { kind: "run" } }));
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.status, "ok");
    assert.equal(runs[0]!.day, day);
  });

  await t.test("worker: starts, logs its next run, and exits 0 on SIGTERM within 30 s", async () => {
    const schedule = "0 7 1 1 *";
    let stderr = "";
    let signalledAt = 0;
    const ran = await runProcess("/bin/bash", ["-c", procfile.get("worker")!], { env: dynoEnv({ CRON_SCHEDULE: schedule, LOG_LEVEL: "info" }), cwd: app, detached: true }, (child) => {
      child.stderr!.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (!signalledAt && /"msg":"worker started"/.test(stderr)) {
          signalledAt = Date.now();
          // Heroku signals every process of the dyno: here, the process group.
          process.kill(-child.pid!, "SIGTERM");
        }
      });
      setTimeout(() => {
        if (!signalledAt) process.kill(-child.pid!, "SIGKILL");
      }, 180_000).unref();
    });
    assert.ok(signalledAt > 0, `the worker logged that it started: ${stderr.slice(-2000)}`);
    assert.equal(ran.code, 0, stderr.slice(-2000));
    assert.ok(Date.now() - signalledAt < 30_000, "stopped within Heroku's 30 s");
    const lines = stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    const started = lines.find((l) => l.msg === "worker started");
    assert.equal(started?.next, upcomingRuns(schedule, ZONE, new Date(), 1)[0]!.toISOString(), "the next run: 1 January 07:00 in REPORT_TIMEZONE");
    assert.ok(lines.some((l) => l.msg === "worker stopped"));
  });
});
