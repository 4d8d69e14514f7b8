/**
 * Scraped and imported console entries are the same events, and collecting an overlapping range
 * again stores nothing twice (real Chromium, the emulated console, PGlite in memory).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { loadConfig } from "../../src/sources/config.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { clearSecrets } from "../../src/core/secrets.ts";
import { startConsoleEmulator, type ConsoleEmulator } from "../../src/tools/console-emulator/index.ts";
import { generateConsoleCells, loadConsoleCsvFiles } from "../../src/tools/console-emulator/load-data.ts";
import { writeConsoleCsv } from "../../src/tools/generator/console-csv.ts";
import type { ConsoleCells } from "../../src/tools/generator/console-vocabulary.ts";
import { collectSource } from "../../src/schedule/collect-source.ts";
import { importFiles } from "../../src/schedule/import-files.ts";
import { createKintoneSource } from "../../src/sources/kintone/index.ts";
import type { Database } from "../../src/store/database.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { dayRange, removeTempDirs, startBrowser, tempDir, ZONE } from "./helpers.ts";

const USER = "admin";
const PASSWORD = "store-test-pw";
const TENANT = "acme.cybozu.com";

let browser: Browser;
let console_: ConsoleEmulator;
let csvPath: string;
let expectedRows: number;
before(async () => {
  const dir = tempDir("kansa-kintone-store-");
  csvPath = join(dir, "audit-2026-10-01_03.csv");
  const cells = generateConsoleCells({ from: "2026-10-01", to: "2026-10-03", perDay: 600, timezone: ZONE });
  // Two identical rows in one second, and a hostile cell, so ids and ordinals are exercised.
  cells.unshift({ ...cells[0]!, Complement: 'a "b", c\n<d>' }, { ...cells[0]!, Complement: 'a "b", c\n<d>' });
  await writeConsoleCsv(cells as ConsoleCells[], csvPath, { lang: "ja" });
  const loaded = await loadConsoleCsvFiles([csvPath]);
  expectedRows = loaded.rows.length;
  console_ = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: loaded.rows });
  browser = await startBrowser();
});
after(async () => {
  await console_.close();
  await browser.close();
  clearSecrets();
  removeTempDirs();
});

function config() {
  return loadConfig({
    KINTONE_HOSTNAME: console_.url,
    KINTONE_ADMIN_ID: USER,
    KINTONE_ADMIN_PW: PASSWORD,
    KINTONE_TENANT: TENANT,
    CONSOLE_TIMEZONE: ZONE,
    REPORT_TIMEZONE: ZONE,
  });
}

async function collect(db: Database, first: string, last: string) {
  const cfg = config();
  const source = createKintoneSource(cfg, { browser })!;
  return collectSource(db, source, {
    range: dayRange(first, last),
    config: cfg,
    log: silentLogger,
    artifactsDir: tempDir("kansa-kintone-artifacts-"),
  });
}

const COLUMNS = `"externalId", "occurredAt", "account", "action", "ip", "ipParsed", "appId", "appName", "userAgent", "level", "result", "isExport", "isCritical", "isLogin", "isFailedLogin", "raw"`;

async function events(db: Database): Promise<Record<string, unknown>[]> {
  return db.query<Record<string, unknown>>(`SELECT source, tenant, ${COLUMNS} FROM "AuditEvent" ORDER BY "externalId"`);
}

test("re-collecting an overlapping range stores nothing twice; scraped events equal imported ones", async () => {
  const scraped = await openTestPglite();
  const imported = await openTestPglite();
  try {
    const first = await collect(scraped, "2026-10-01", "2026-10-02");
    assert.deepEqual(first.errors, []);
    const firstCount = first.stored;
    assert.ok(firstCount > 0);
    assert.equal(first.duplicates, 0);
    assert.equal(first.cursor, dayRange("2026-10-02").to.toISOString());

    const second = await collect(scraped, "2026-10-02", "2026-10-03");
    assert.deepEqual(second.errors, []);
    const day2 = (await scraped.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "occurredAt" >= $1 AND "occurredAt" < $2`, [dayRange("2026-10-02").from, dayRange("2026-10-02").to]))[0]!.n;
    assert.equal(second.duplicates, day2, "the overlapping day is all duplicates");
    assert.equal(second.stored, expectedRows - firstCount, "only the new day is stored");
    assert.equal((await events(scraped)).length, expectedRows, "every row of the file exactly once");

    const result = await importFiles(imported, [csvPath], {
      config: config(),
      tenant: TENANT,
      log: silentLogger,
    });
    assert.equal(result.total.stored, expectedRows);
    const a = await events(scraped);
    const b = await events(imported);
    assert.equal(a.length, b.length);
    assert.deepEqual(a.map((e) => e.externalId), b.map((e) => e.externalId), "the same external ids");
    assert.deepEqual(a, b, "the same fields, raw included");
    assert.ok(a.every((e) => e.source === "kintone" && e.tenant === TENANT));
  } finally {
    await scraped.close();
    await imported.close();
  }
});
