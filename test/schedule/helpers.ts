/**
 * Shared by the schedule tests: run the `kansa` CLI as a user would (a child process with its
 * own environment), small now-relative dates, and reading a database the CLI wrote.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { DateTime } from "luxon";
import { openDatabase, type Database } from "../../src/store/database.ts";

export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const BIN = `${ROOT}/bin/kansa.js`;
export const ZONE = "Asia/Tokyo";

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * What moves this process's system clock, if anything: faketime's preload and settings
 * (`faketime -f +365d npm test`). A child must see the same clock as the test that computes its
 * days, serves its emulators and waits for its cron schedule.
 */
function systemClockEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "LD_PRELOAD" || key === "FAKETIME" || key.startsWith("FAKETIME_")) env[key] = value;
  }
  return env;
}

/**
 * The environment of a child: PATH and HOME only, the system clock this process sees, plus
 * `extra` (no kansa setting leaks in from the test runner's own environment).
 */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", REPORT_TIMEZONE: ZONE, CONSOLE_TIMEZONE: ZONE, ...systemClockEnv() };
  if (process.env.CHROMIUM_PATH) env.CHROMIUM_PATH = process.env.CHROMIUM_PATH;
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

/** Start `command args` and collect its output; `onStart` gets the child (to kill it). */
export function runProcess(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; detached?: boolean }, onStart?: (child: ChildProcess) => void): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd ?? ROOT, stdio: ["ignore", "pipe", "pipe"], detached: options.detached ?? false });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    onStart?.(child);
  });
}

/** `node bin/kansa.js ...args` with `env`. */
export function kansa(args: string[], env: NodeJS.ProcessEnv, onStart?: (child: ChildProcess) => void): Promise<Ran> {
  return runProcess(process.execPath, [BIN, ...args], { env }, onStart);
}

/** Open the database the CLI used (PostgreSQL URL or embedded folder), run `work`, close it. */
export async function withStore<T>(where: { databaseUrl?: string; dataDir?: string }, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: where.databaseUrl, dataDir: where.dataDir ?? "" });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Today in the report zone, and day arithmetic on YYYY-MM-DD keys. */
export function todayIn(zone = ZONE): string {
  return DateTime.now().setZone(zone).toISODate()!;
}

export function addDays(day: string, n: number): string {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days: n }).toISODate()!;
}

/** The month (YYYY-MM) before the month of `day`. */
export function previousMonth(day: string): string {
  return DateTime.fromISO(day, { zone: "UTC" }).minus({ months: 1 }).toFormat("yyyy-MM");
}

/**
 * A `--today` for the tests: the 4th of the current month (so the reported day is the 3rd and
 * the data is the previous month plus three days), or of the previous month early in a month.
 */
export function reportToday(now = todayIn()): string {
  const d = DateTime.fromISO(now, { zone: "UTC" });
  const fourth = d.day >= 5 ? d.set({ day: 4 }) : d.minus({ months: 1 }).set({ day: 4 });
  return fourth.toISODate()!;
}

/** Wait until `check()` is true (polling), or throw after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
