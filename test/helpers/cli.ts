/**
 * Run the `kansa` command line as a user would: a child process (`node bin/kansa.js`) with an
 * environment of its own, its output collected. One helper for every test that starts the CLI.
 */
import { spawn, type ChildProcess } from "node:child_process";

export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const BIN = `${ROOT}/bin/kansa.js`;

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
 * The environment of a child: PATH and HOME only, the system clock this process sees, Chromium's
 * path when the runner sets one, plus `extra` (no kansa setting leaks in from the test runner's
 * own environment; an `undefined` in `extra` leaves the setting out).
 */
export function cliEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...systemClockEnv() };
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

/** `node bin/kansa.js ...args` with `env` (build it with `cliEnv`). */
export function runKansa(args: string[], env: NodeJS.ProcessEnv, onStart?: (child: ChildProcess) => void): Promise<Ran> {
  return runProcess(process.execPath, [BIN, ...args], { env }, onStart);
}
