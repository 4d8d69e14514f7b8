/**
 * The kintone source against the emulated console (real Chromium): browser start-up on its own,
 * collecting a day of 10,000 rows, and a month of 300,000 rows (the 100,000-row cap makes the
 * month split). Times include logging in, reaching the audit log, every download and reading
 * the CSV; storing is measured by the import bench.
 */
import { silentLogger } from "../src/core/logger.ts";
import { startConsoleEmulator } from "../src/tools/console-emulator/index.ts";
import { generateConsoleCells } from "../src/tools/console-emulator/load-data.ts";
import { launchBrowser } from "../src/sources/kintone/browser.ts";
import { scrapeAuditLog } from "../src/sources/kintone/scraper.ts";
import { chromiumExecutable } from "../src/sources/kintone/settings.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ZONE = "Asia/Tokyo";
const USER = "admin";
const PASSWORD = "bench-password";

async function browserStartup(times: number): Promise<{ medianMs: number; samplesMs: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const browser = await launchBrowser(chromiumExecutable(process.env.CHROMIUM_PATH), 30_000);
    const page = await browser.newPage();
    await page.setContent("<p>ready</p>");
    samples.push(Math.round(performance.now() - started));
    await browser.close();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, samplesMs: samples };
}

async function collect(label: string, rows: Record<string, string>[], range: { from: Date; to: Date }) {
  const emulator = await startConsoleEmulator({ user: USER, password: PASSWORD, rows });
  const stats: Record<string, number> = {};
  let collected = 0;
  const started = performance.now();
  try {
    for await (const batch of scrapeAuditLog(range, {
      base: new URL(emulator.url),
      user: USER,
      password: PASSWORD,
      zone: ZONE,
      tenant: "bench",
      cap: 100_000,
      timeoutMs: 60_000,
      executablePath: chromiumExecutable(process.env.CHROMIUM_PATH),
      artifactsDir: mkdtempSync(join(tmpdir(), "kansa-bench-kintone-")),
      log: silentLogger,
      stats,
      warnings: [],
    })) {
      collected += batch.records.length;
    }
  } finally {
    await emulator.close();
  }
  const seconds = (performance.now() - started) / 1000;
  if (collected !== rows.length) throw new Error(`${label}: collected ${collected} of ${rows.length} rows`);
  return {
    rows: collected,
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: Math.round(collected / seconds),
    downloads: stats.downloads ?? 0,
    splits: stats.splits ?? 0,
    rowsDownloaded: emulator.stats.rowsDownloaded,
    browserStartMs: stats.browserStartMs ?? 0,
  };
}

export async function run(): Promise<object> {
  const startup = await browserStartup(3);
  const dayRows = generateConsoleCells({ from: "2026-10-01", to: "2026-10-01", total: 10_000, timezone: ZONE });
  const day = await collect("day", dayRows, { from: new Date("2026-09-30T15:00:00Z"), to: new Date("2026-10-01T15:00:00Z") });
  const monthRows = generateConsoleCells({ from: "2026-10-01", to: "2026-10-30", total: 300_000, timezone: ZONE });
  const month = await collect("month", monthRows, { from: new Date("2026-09-30T15:00:00Z"), to: new Date("2026-10-30T15:00:00Z") });
  return { browserStartup: startup, dayOf10000: day, monthOf300000: month, load: (await import("node:os")).loadavg().map((l) => Number(l.toFixed(1))) };
}
