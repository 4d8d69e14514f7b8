/** Shared by the kintone tests: run the source against an emulated console and gather what it yields. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import type { Browser } from "playwright-core";
import { loadConfig } from "../../src/sources/config.ts";
import type { RawBatch, TimeRange } from "../../src/core/types.ts";
import type { ConsoleRow } from "../../src/sources/kintone/console-csv/read-console-csv.ts";
import { createKintoneSource } from "../../src/sources/kintone/index.ts";
import { launchBrowser } from "../../src/sources/kintone/browser.ts";
import { chromiumExecutable } from "../../src/sources/kintone/settings.ts";

export const ZONE = "Asia/Tokyo";

const tempDirs: string[] = [];

/** A new temp folder, removed by `removeTempDirs`. */
export function tempDir(prefix = "kansa-kintone-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Remove every folder `tempDir` made (call in `after`). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function startBrowser(): Promise<Browser> {
  return launchBrowser(chromiumExecutable(process.env.CHROMIUM_PATH), 30_000);
}

export interface PullResult {
  batches: RawBatch[];
  rows: ConsoleRow[];
  stats: Record<string, number>;
  warnings: string[];
  logLines: string[];
  artifactsDir: string;
  error: unknown;
}

export interface PullOptions {
  url: string;
  user: string;
  password: string;
  range: TimeRange;
  browser: Browser;
  cap?: number;
  timeoutMs?: number;
  retries?: number;
  env?: Record<string, string>;
  /** Accept the console's certificate of a test CA. */
  ignoreHttpsErrors?: boolean;
}

/** Collect `range` from the console at `url` with the kintone source; errors are returned, not thrown. */
export async function pull(options: PullOptions): Promise<PullResult> {
  const config = loadConfig({
    KINTONE_HOSTNAME: options.url,
    KINTONE_ADMIN_ID: options.user,
    KINTONE_ADMIN_PW: options.password,
    CONSOLE_TIMEZONE: ZONE,
    KINTONE_DOWNLOAD_CAP: String(options.cap ?? 100_000),
    BROWSER_TIMEOUT_MS: String(options.timeoutMs ?? 10_000),
    ...options.env,
  });
  const source = createKintoneSource(config, {
    browser: options.browser,
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.ignoreHttpsErrors ? { ignoreHttpsErrors: true } : {}),
  });
  if (!source) throw new Error("source not configured");
  const logLines: string[] = [];
  const log = pino({ level: "debug" }, new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } }));
  const result: PullResult = { batches: [], rows: [], stats: {}, warnings: [], logLines, artifactsDir: tempDir(), error: null };
  try {
    for await (const batch of source.collect(options.range, null, { artifactsDir: result.artifactsDir, log, stats: result.stats, warnings: result.warnings, gaps: [] })) {
      result.batches.push(batch);
      result.rows.push(...batch.records.map((r) => r.record as ConsoleRow));
    }
  } catch (error) {
    result.error = error;
  }
  return result;
}

/** The rows' cells as a sorted list of JSON strings (a multiset to compare). */
export function cellSet(rows: Iterable<Record<string, string>>): string[] {
  const standard = ["Date", "Level", "Service", "User", "IP Address", "User Agent", "Module", "Action", "Result", "Error Code", "Complement"];
  return [...rows].map((cells) => JSON.stringify(standard.map((c) => cells[c] ?? ""))).sort();
}

/** Rows of `all` whose Date falls on one of `days` (YYYY-MM-DD). */
export function onDays(all: Record<string, string>[], ...days: string[]): Record<string, string>[] {
  return all.filter((r) => days.some((d) => (r.Date ?? "").startsWith(d)));
}

/** The files saved under `dir`, with their bytes. */
export function savedFiles(dir: string): { name: string; bytes: Buffer }[] {
  try {
    return readdirSync(dir).map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
  } catch {
    return [];
  }
}

/** The day [00:00, 24:00) of `day` in the console's zone. */
export function dayRange(first: string, last = first): TimeRange {
  const from = new Date(`${first}T00:00:00+09:00`);
  const to = new Date(new Date(`${last}T00:00:00+09:00`).getTime() + 86_400_000);
  return { from, to };
}
