/**
 * kansa as Heroku's Node buildpack lays it out and runs it. The buildpack installs with dev
 * dependencies (`npm ci`), builds (`npm run build`), prunes them (`npm prune --omit=dev`), and
 * then runs every command (Procfile, Scheduler, `heroku run`) with HOME=/app and PATH
 * `…:$HOME/bin:$HOME/node_modules/.bin`, linking no bin of the app itself. So the bare command
 * name `kansa` must be found there, as bin/kansa: these commands are run by that name, through
 * bash as the dyno manager runs them, never by path.
 *
 * After the build the copy's src/ is moved aside: `kansa` must run the compiled dist/ (not the
 * source through tsx), and dist/ must find what it reads (templates/, prisma/migrations) by itself.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { projectRoot } from "../../src/core/paths.ts";
import { postgresTestSkip, startPostgres, type TestPostgres } from "../helpers/postgres.ts";

const skip = postgresTestSkip();

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** What a `git push` sends from this working copy: tracked files and untracked ones git does not ignore. */
function copyProject(to: string): number {
  const list = (args: string[]) => execFileSync("git", args, { cwd: projectRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).split("\n").filter(Boolean);
  let copied = 0;
  for (const file of new Set([...list(["ls-files"]), ...list(["ls-files", "--others", "--exclude-standard"])])) {
    const source = join(projectRoot, file);
    if (!existsSync(source) || !statSync(source).isFile()) continue; // deleted in the working copy
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(source, join(to, file)); // keeps the mode: bin/kansa stays executable
    copied++;
  }
  return copied;
}

/**
 * The environment of the build steps: this process's, without npm's `npm_*` variables (under
 * `npm test` they name this project, and `npm ci` must not touch its node_modules), with the
 * user's HOME (npm's cache, warm from the main install).
 */
function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  delete env.NODE_ENV;
  return env;
}

/** Heroku's PATH for the app in `app`; `node` is found in the system folders (or where this node is). */
function dynoPath(app: string): string {
  const system = ["/usr/local/bin", "/usr/bin", "/bin"];
  const nodeDir = dirname(process.execPath);
  return [...(system.includes(nodeDir) ? [] : [nodeDir]), ...system, join(app, "bin"), join(app, "node_modules", ".bin")].join(":");
}

let pg: TestPostgres | null = null;
let work = "";
let app = "";

before(async () => {
  if (skip) return;
  pg = await startPostgres();
  work = mkdtempSync(join(tmpdir(), "kansa-buildpack-"));
  app = join(work, "app");
  mkdirSync(app);
  assert.ok(copyProject(app) > 50);
});

after(async () => {
  await pg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("Heroku's buildpack layout: npm ci, build, prune; then `kansa` by name migrates, imports and runs the day", { skip, timeout: 900_000 }, async (t) => {
  const timings: string[] = [];
  const step = async (name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> => {
    const ran = await runProcess(command, args, { cwd: app, env });
    timings.push(`${name} ${(ran.ms / 1000).toFixed(1)} s`);
    return ran;
  };
  t.after(() => t.diagnostic(`timings: ${timings.join(", ")}`));
  const failure = (ran: Ran) => `exit ${ran.code}\n${ran.stdout.slice(-3000)}\n${ran.stderr.slice(-3000)}`;

  const install = await step("npm ci", "npm", ["ci", "--prefix", app, "--include=dev", "--prefer-offline", "--no-audit", "--no-fund"], buildEnv());
  assert.equal(install.code, 0, failure(install));
  const build = await step("npm run build", "npm", ["run", "build", "--prefix", app], buildEnv());
  assert.equal(build.code, 0, failure(build));
  assert.ok(existsSync(join(app, "dist", "src", "cli.js")), "the build wrote dist/src/cli.js, which bin/kansa runs");
  const prune = await step("npm prune", "npm", ["prune", "--prefix", app, "--omit=dev", "--no-audit", "--no-fund"], buildEnv());
  assert.equal(prune.code, 0, failure(prune));
  assert.ok(!existsSync(join(app, "node_modules", "smtp-server")), "dev dependencies were pruned (smtp-server, which only the tests use)");
  renameSync(join(app, "src"), join(app, "src-moved-aside"));

  const databaseUrl = await pg!.createDatabase();
  const dyno: NodeJS.ProcessEnv = {
    HOME: app,
    PATH: dynoPath(app),
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REPORT_TIMEZONE: "Asia/Tokyo",
    LOG_LEVEL: "warn",
  };
  const kansa = (name: string, command: string) => step(name, "/bin/bash", ["-c", command], dyno);

  const version = await kansa("kansa --version", "kansa --version");
  assert.equal(version.code, 0, failure(version));
  const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as { version: string };
  assert.equal(version.stdout, `${manifest.version}\n`);

  const release = /^release: (.+)$/m.exec(readFileSync(join(app, "Procfile"), "utf8"))?.[1];
  assert.equal(release, "kansa db migrate", "the Procfile's release phase");
  const migrated = await kansa("release", release!);
  assert.equal(migrated.code, 0, failure(migrated));
  assert.match(migrated.stdout, /: applied \d+ migration\(s\): \d+_init\b/);

  const fixture = join(projectRoot, "test", "fixtures", "console", "en.csv");
  const imported = await kansa("kansa import", `kansa import '${fixture}' --tenant example.cybozu.com`);
  assert.equal(imported.code, 0, failure(imported));
  assert.match(imported.stdout, /stored 7\b/);

  // The fixture's entries are of 2026-10-01 (Tokyo): the run of the 2nd reports them.
  const ran = await kansa("kansa run", "kansa run --today 2026-10-02 --no-mail");
  assert.equal(ran.code, 0, failure(ran));
  assert.match(ran.stdout, /^kansa report for 2026-10-01 \(Asia\/Tokyo\): 7 event\(s\) from 1 source\(s\)/m);
  // Two exports and a record file download (a documented download: an export too, issue 24).
  assert.match(ran.stdout, /exports 3, critical \d+/);
});
