/**
 * Issue 8's target: a month's backfill from the emulators — 300,000 console rows through real
 * Chromium and 30,000 Auth0 events through the API client (rate limit off) — into an on-disk
 * PGlite database, with the same code `kansa backfill --month` runs. Target: under 2 minutes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/sources/config.ts";
import { silentLogger } from "../src/core/logger.ts";
import { generateDataset } from "../src/tools/generator/index.ts";
import { startConsoleEmulator } from "../src/tools/console-emulator/index.ts";
import { startAuth0Emulator } from "../src/tools/auth0-emulator/index.ts";
import { configuredSources } from "../src/sources/registry.ts";
import { openDatabase } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";
import { backfill } from "../src/schedule/backfill.ts";

export async function run(): Promise<object> {
  const month = "2026-10";
  const generated = performance.now();
  const dataset = generateDataset({ from: `${month}-01`, to: `${month}-31`, consoleTotal: 300_000, auth0Total: 30_000 });
  const generateSeconds = (performance.now() - generated) / 1000;
  const consoleEmulator = await startConsoleEmulator({ user: "admin", password: "bench-pw", rows: dataset.consoleRows.map((r) => r.cells) });
  const auth0Emulator = await startAuth0Emulator({ events: dataset.auth0Events, retentionDays: null, rate: "off", clientSecret: "bench-secret" });
  const dir = mkdtempSync(join(tmpdir(), "kansa-bench-backfill-"));
  const config = loadConfig({
    KANSA_DATA_DIR: dir,
    REPORT_TIMEZONE: "Asia/Tokyo",
    KINTONE_HOSTNAME: consoleEmulator.url,
    KINTONE_ADMIN_ID: "admin",
    KINTONE_ADMIN_PW: "bench-pw",
    AUTH0_DOMAIN: auth0Emulator.url,
    AUTH0_CLIENT_ID: auth0Emulator.clientId,
    AUTH0_CLIENT_SECRET: "bench-secret",
    AUTH0_RETENTION_DAYS: "400",
    ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: process.env.CHROMIUM_PATH } : {}),
  });
  const db = await openDatabase({ dataDir: dir });
  try {
    await migrateDatabase(db);
    const started = performance.now();
    const result = await backfill(db, config, configuredSources(config), {
      from: `${month}-01`,
      to: `${month}-31`,
      log: silentLogger,
      artifactsDir: join(dir, "artifacts"),
      now: new Date("2026-11-05T00:00:00Z"),
    });
    const seconds = (performance.now() - started) / 1000;
    const stored = Object.fromEntries(result.results.map((r) => [r.source, { collected: r.collected, stored: r.stored, errors: r.errors, stats: r.stats }]));
    return {
      month,
      consoleRows: dataset.consoleRows.length,
      auth0Events: dataset.auth0Events.length,
      generateSeconds: Number(generateSeconds.toFixed(1)),
      backfillSeconds: Number(seconds.toFixed(1)),
      targetSeconds: 120,
      met: seconds < 120 && !result.failed,
      eventsPerSecond: Math.round((dataset.consoleRows.length + dataset.auth0Events.length) / seconds),
      sources: stored,
    };
  } finally {
    await db.close();
    await consoleEmulator.close();
    await auth0Emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
