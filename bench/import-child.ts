/**
 * Child process of bench/import.bench.ts: imports a folder into the embedded PGlite database in
 * `dataDir` (or DATABASE_URL when given) and prints one JSON line with the counts, the time and
 * its own peak RSS (process.resourceUsage().maxRSS), so the parent measures memory of exactly
 * one import. With FOLDER "-" it only creates and migrates the database: creating an embedded
 * database runs initdb, whose memory (about 800 MB, never returned) is not the import's, so the
 * parent creates it in a process of its own first, as `kansa db migrate` would.
 * Usage: node --import tsx bench/import-child.ts FOLDER|- DATA_DIR [DATABASE_URL]
 */
import { useLeanHeap } from "../src/core/memory.ts";
import { openDatabase } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";
import { importFiles } from "../src/schedule/import-files.ts";
import { silentLogger } from "../src/core/logger.ts";
import { loadConfig } from "../src/sources/config.ts";

useLeanHeap(); // as the kansa command does
const [folder, dataDir, databaseUrl] = process.argv.slice(2);
if (!folder || !dataDir) throw new Error("usage: import-child.ts FOLDER DATA_DIR [DATABASE_URL]");
const db = await openDatabase({ dataDir, databaseUrl: databaseUrl || undefined });
try {
  await migrateDatabase(db);
  if (folder !== "-") await measureImport(folder);
} finally {
  await db.close();
}

async function measureImport(folder: string): Promise<void> {
  // The RSS while importing is sampled from here on (and the process's own maxRSS reported too).
  const baselineRss = process.memoryUsage().rss;
  let peakHeap = 0;
  let peakRss = baselineRss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 100);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await importFiles(db, [folder], {
    config: { ...loadConfig({}), consoleTimezone: "Asia/Tokyo" },
    log: silentLogger,
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  process.stdout.write(`${JSON.stringify({
    read: result.total.read, stored: result.total.stored, rejected: result.total.rejected, seconds: ms / 1000,
    eventsPerSecond: Math.round(result.total.stored / (ms / 1000)),
    cpuSeconds: Math.round(cpuSeconds * 10) / 10, eventsPerCpuSecond: Math.round(result.total.stored / cpuSeconds),
    rssBeforeImportMB: Math.round(baselineRss / 1048576), peakRssWhileImportingMB: Math.round(peakRss / 1048576),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), peakHeapMB: Math.round(peakHeap / 1048576),
  })}\n`);
}
