/**
 * `kansa backfill` on a real terminal (a tmux pane): log lines scroll above the progress bar and
 * never land inside its line; Ctrl-C ends with one line saying what was saved and the command
 * that resumes, exit code 130, the browser closed (Playwright's profile folder removed) and the
 * embedded database closed (its lock file removed, the run recorded as interrupted); the command
 * it prints then finishes the range.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDataset, type Dataset } from "../../src/tools/generator/index.ts";
import { startConsoleEmulator, type ConsoleEmulator } from "../../src/tools/console-emulator/index.ts";
import { chromiumExecutable } from "../../src/sources/kintone/settings.ts";
import { BIN, ROOT, ZONE, addDays, childEnv, kansa, todayIn, waitFor, withStore } from "./helpers.ts";

const CHROMIUM = chromiumExecutable(process.env.CHROMIUM_PATH);
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const skip: string | false = !CHROMIUM
  ? "Chromium is missing (apt-get install chromium, or set CHROMIUM_PATH): the console cannot be scraped"
  : !hasTmux
    ? "tmux is missing (apt-get install tmux): the test needs a real terminal"
    : false;

const USER = "tty-admin";
const PASSWORD = "Tty-test-pw-23";
const CAP = 250;
const TODAY = todayIn(ZONE);
const FROM = addDays(TODAY, -8);
const TO = addDays(TODAY, -2);
const SOCKET = `kansa-test-${process.pid}`;
const SESSION = "backfill";

let dir: string;
let dataset: Dataset;
let emulator: ConsoleEmulator;

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" });
}

/** The pane as it looks now (wrapped lines joined), with its scrollback when `history`. */
function screen(history = false): string[] {
  return tmux("capture-pane", "-p", "-J", "-t", SESSION, ...(history ? ["-S", "-"] : [])).split("\n");
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), "kansa-tty-"));
  dataset = generateDataset({ seed: 31, people: 15, from: FROM, to: TO, timezone: ZONE, consolePerDay: 300, auth0PerDay: 0 });
  emulator = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: dataset.consoleRows.map((r) => r.cells), lang: "ja", downloadCap: CAP, switches: { slowMs: 300 } });
});

after(async () => {
  if (hasTmux) spawnSync("tmux", ["-L", SOCKET, "kill-server"], { stdio: "ignore" });
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A progress bar line as cli-progress draws it: nothing else may share its line. */
const BAR_LINE = /^(kintone)? ?\|[\u2588\u2591]{40}\| \d{1,3}% \d{4}-\d{2}-\d{2}$/;
const isBarLine = (line: string) => /[\u2588\u2591]{5}/.test(line);

test("kansa backfill in a terminal: log lines above the bar, never in it; Ctrl-C says what was saved and how to resume, exit 130", { skip, timeout: 900_000 }, async () => {
  const dataDir = join(dir, "data");
  const profiles = join(dir, "tmp");
  mkdirSync(profiles);
  const env = childEnv({
    KANSA_DATA_DIR: dataDir,
    KINTONE_HOSTNAME: emulator.url,
    KINTONE_ADMIN_ID: USER,
    KINTONE_ADMIN_PW: PASSWORD,
    KINTONE_TENANT: dataset.organisation.consoleHost,
    KINTONE_DOWNLOAD_CAP: String(CAP),
    CHROMIUM_PATH: CHROMIUM!,
    LOG_LEVEL: "debug",
  });
  // The pane's process gets exactly this environment; TMPDIR keeps Playwright's browser profile
  // where the test can see whether it was cleaned up.
  const vars = Object.entries({ ...env, TERM: "screen", TMPDIR: profiles }).map(([k, v]) => `${k}=${v}`);
  const conf = join(dir, "tmux.conf");
  writeFileSync(conf, "set -g remain-on-exit on\nset -g history-limit 5000\n");
  // bash runs the backfill in the pane and writes its exit code to a file when it ends (tmux's
  // own pane_dead_status is at times still empty once the pane is dead); `trap : INT` keeps bash
  // alive through Ctrl-C while the backfill, which inherits no handler, gets it as usual.
  const exitFile = join(dir, "exit-code");
  tmux("-f", conf, "new-session", "-d", "-s", SESSION, "-x", "160", "-y", "40", "-c", ROOT, "env", "-i", ...vars,
    "bash", "-c", `trap : INT; "$@"; echo $? > '${exitFile}'`, "bash", process.execPath, BIN, "backfill", "--from", FROM, "--to", TO);
  const paneState = () => tmux("display-message", "-p", "-t", SESSION, "#{pane_dead}").trim();

  // Watch the bar while it runs: every screen has exactly one bar line and it holds the bar only.
  let screens = 0;
  let logLinesSeen = 0;
  let lastPercent = 0;
  const checkScreen = () => {
    const lines = screen().map((l) => l.trimEnd());
    const bars = lines.filter(isBarLine);
    if (bars.length === 0) return;
    screens++;
    assert.equal(bars.length, 1, `one bar on the screen:\n${lines.join("\n")}`);
    assert.match(bars[0]!, BAR_LINE, `the bar's line holds the bar only:\n${lines.join("\n")}`);
    const barAt = lines.findIndex(isBarLine);
    assert.ok(lines.slice(barAt + 1).every((l) => l === ""), `nothing below the bar:\n${lines.join("\n")}`);
    logLinesSeen = Math.max(logLinesSeen, lines.slice(0, barAt).filter((l) => /(DEBUG|INFO|WARN)/.test(l)).length);
    lastPercent = Number(/(\d+)%/.exec(bars[0]!)![1]);
  };
  await waitFor(() => {
    assert.equal(paneState().startsWith("0"), true, `the backfill ended early:\n${screen(true).join("\n")}`);
    checkScreen();
    return lastPercent >= 30 && logLinesSeen >= 3;
  }, 600_000, "the bar to reach 30% with log lines above it");
  assert.ok(readdirSync(profiles).some((n) => n.startsWith("playwright")), `the browser's profile is in TMPDIR: ${readdirSync(profiles).join(", ")}`);

  tmux("send-keys", "-t", SESSION, "C-c");
  // tmux marks the pane dead when its terminal closes and learns the exit status when it reaps
  // the process, a moment later: wait for both.
  await waitFor(() => paneState() === "1" && existsSync(exitFile), 120_000, "the backfill to stop after Ctrl-C");
  assert.equal(readFileSync(exitFile, "utf8").trim(), "130", `exit code 130:\n${screen(true).slice(-20).join("\n")}`);
  const all = screen(true).map((l) => l.trimEnd()).filter((l) => l !== "" && !l.startsWith("Pane is dead"));
  const last = all.at(-1)!;
  assert.match(
    last,
    new RegExp(`^Interrupted; saved so far: kintone \\(${dataset.organisation.consoleHost.replaceAll(".", "\\.")}\\) (\\d) of 7 days complete, (\\d+) events stored\\. Resume with: kansa backfill --from ${FROM} --to ${TO}$`),
    all.slice(-15).join("\n"),
  );
  assert.ok(!all.some((l) => /has been clo|Error|ERROR/.test(l)), `no error on the way out:\n${all.slice(-30).join("\n")}`);
  assert.ok(screens > 3, `the bar was seen on ${screens} screens`);

  // Closed properly: no browser profile left, the folder released, the run recorded as interrupted.
  assert.deepEqual(readdirSync(profiles).filter((n) => n.startsWith("playwright")), [], "the browser was closed (Playwright removed its profile)");
  assert.equal(existsSync(join(dataDir, "kansa.lock")), false, "the database was closed");
  const stored = Number(/, (\d+) events stored/.exec(last)![1]);
  const run = await withStore({ dataDir }, (db) => db.prisma.run.findFirstOrThrow({ where: { kind: "backfill" } }));
  assert.equal(run.status, "interrupted");
  const progress = (run.stats as { progress?: Record<string, string> }).progress ?? {};
  const reached = progress[`kintone:${dataset.organisation.consoleHost}`];
  assert.ok(reached, JSON.stringify(run.stats));
  const totals = (run.stats as { totals?: Record<string, { stored: number }> }).totals ?? {};
  assert.equal(totals[`kintone:${dataset.organisation.consoleHost}`]?.stored, stored, "the line counts what the run recorded");

  // The command it printed resumes where it stopped and completes the range.
  emulator.switches.slowMs = 0;
  const resumed = await kansa(["backfill", "--from", FROM, "--to", TO], env);
  assert.equal(resumed.code, 0, resumed.stderr.slice(-2000));
  assert.match(resumed.stdout, new RegExp(`resumed an unfinished backfill at ${reached!.replaceAll(".", "\\.")}`));
  const rows = await withStore({ dataDir }, (db) => db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent"`));
  assert.equal(rows[0]!.n, dataset.consoleRows.length, "every row of the range, once");
});
