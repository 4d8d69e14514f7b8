/**
 * Auth0 pull speed: entries per second read from the emulated tenant with its rate limit off
 * (checkpoint pages of 100), without storing and with storing into an in-memory PGlite database
 * through the same collectSource the commands use.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { loadConfig } from "../src/sources/config.ts";
import type { CollectContext } from "../src/core/types.ts";
import { generateAuth0Records, startAuth0Emulator } from "../src/tools/auth0-emulator/index.ts";
import { collectSource } from "../src/schedule/collect-source.ts";
import { auth0Source } from "../src/sources/auth0/index.ts";
import { openDatabase } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";

const EVENTS = 30_000;
const DAY_MS = 86_400_000;

export async function run(): Promise<object> {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const now = Date.now();
  const events = generateAuth0Records({ from: day(now - 10 * DAY_MS), to: day(now - DAY_MS), total: EVENTS, seed: 3, timezone: "UTC" });
  const secret = "bench-secret-value";
  const emulator = await startAuth0Emulator({ events, clientSecret: secret, rate: "off" });
  const artifactsDir = mkdtempSync(join(tmpdir(), "kansa-auth0-bench-"));
  const log = pino({ level: "silent" });
  const range = { from: new Date(now - 30 * DAY_MS), to: new Date(now + DAY_MS) };
  const source = () => auth0Source({ domain: emulator.url, clientId: emulator.clientId, clientSecret: secret, tenant: "bench.auth0.com", retryBudget: 10, retentionDays: 30 });
  try {
    const context: CollectContext = { artifactsDir, log, stats: {}, warnings: [], gaps: [] };
    let started = performance.now();
    let pulled = 0;
    for await (const batch of source().collect(range, null, context)) pulled += batch.records.length;
    const pullMs = performance.now() - started;

    const db = await openDatabase({ dataDir: "", inMemory: true });
    let stored: { stored: number; pages: number; ms: number };
    try {
      await migrateDatabase(db);
      started = performance.now();
      const result = await collectSource(db, source(), { range, config: loadConfig({}), log, artifactsDir });
      if (result.errors.length > 0) throw new Error(result.errors.join("; "));
      stored = { stored: result.stored, pages: result.stats.pages ?? 0, ms: performance.now() - started };
    } finally {
      await db.close();
    }
    return {
      events: EVENTS,
      pullOnly: { entries: pulled, pages: context.stats.pages, ms: Math.round(pullMs), entriesPerSecond: Math.round(pulled / (pullMs / 1000)) },
      pullAndStore: { stored: stored.stored, pages: stored.pages, ms: Math.round(stored.ms), entriesPerSecond: Math.round(stored.stored / (stored.ms / 1000)), database: "PGlite in memory" },
    };
  } finally {
    await emulator.close();
    rmSync(artifactsDir, { recursive: true, force: true });
  }
}
