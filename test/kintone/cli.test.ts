/**
 * End to end through the command line: `kansa emulate console --data <a month of console CSV>`
 * in one process (with a small download cap, so the month must be split), `kansa collect
 * --source kintone --from … --to …` in another (real Chromium),
 * `kansa import` of the same file into a third data folder: every row of the month is stored
 * exactly once, and the stored events equal the imported ones. A refused login exits non-zero
 * without the password anywhere in the output.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { generateConsoleCells } from "../../src/tools/console-emulator/load-data.ts";
import { writeConsoleCsv } from "../../src/tools/generator/console-csv.ts";
import type { ConsoleCells } from "../../src/tools/generator/console-vocabulary.ts";
import { openDatabase } from "../../src/store/database.ts";
import { BIN, ROOT, cliEnv, runKansa } from "../helpers/cli.ts";
import { removeTempDirs, tempDir, ZONE } from "./helpers.ts";

const USER = "admin";
const PASSWORD = "e2e-Secret-pw-9";
const TENANT = "acme.cybozu.com";
/** Below the month's rows, so the month is split before it fits. */
const CAP = 1000;

let dir: string;
let csvPath: string;
let rowCount: number;
let emulator: ChildProcess;
let url: string;

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return cliEnv({ REPORT_TIMEZONE: ZONE, CONSOLE_TIMEZONE: ZONE, LOG_LEVEL: "warn", ...extra });
}

before(async () => {
  dir = tempDir("kansa-kintone-e2e-");
  csvPath = join(dir, "audit-2026-10.csv");
  const cells = generateConsoleCells({ from: "2026-10-01", to: "2026-10-31", perDay: 80, timezone: ZONE });
  rowCount = cells.length;
  await writeConsoleCsv(cells as ConsoleCells[], csvPath, { lang: "ja" });
  emulator = spawn(process.execPath, [BIN, "emulate", "console", "--data", csvPath, "--port", "0", "--cap", String(CAP)], {
    cwd: ROOT,
    env: baseEnv({ KINTONE_ADMIN_ID: USER, KINTONE_ADMIN_PW: PASSWORD }),
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the emulator printed no URL: ${out}`)), 60_000);
    emulator.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    emulator.on("exit", (code) => reject(new Error(`the emulator exited (${code}): ${out}`)));
  });
});

after(async () => {
  if (emulator.exitCode === null) {
    const exited = new Promise((resolve) => emulator.once("exit", resolve));
    emulator.kill("SIGTERM");
    await exited;
  }
  removeTempDirs();
});

test("kansa collect --source kintone stores every row of a month once, equal to kansa import of the same file", async () => {
  const scrapedDir = join(dir, "scraped");
  const importedDir = join(dir, "imported");
  const env = { KINTONE_HOSTNAME: url, KINTONE_ADMIN_ID: USER, KINTONE_ADMIN_PW: PASSWORD, KINTONE_TENANT: TENANT, KINTONE_DOWNLOAD_CAP: String(CAP) };
  const collected = await runKansa(["collect", "--source", "kintone", "--from", "2026-10-01", "--to", "2026-10-31", "--json"], baseEnv({ ...env, KANSA_DATA_DIR: scrapedDir }));
  assert.equal(collected.code, 0, collected.stderr);
  const summary = JSON.parse(collected.stdout) as { stored: number; duplicates: number; errors: string[]; stats: Record<string, number>; cursor: string };
  assert.deepEqual(summary.errors, []);
  assert.equal(summary.stored, rowCount);
  assert.equal(summary.duplicates, 0);
  assert.ok(rowCount > 2 * CAP);
  assert.ok((summary.stats.splits ?? 0) >= 2, `the month was split (${summary.stats.splits} splits)`);
  assert.equal(summary.cursor, "2026-10-31T15:00:00.000Z");

  const imported = await runKansa(["import", csvPath, "--tenant", TENANT], baseEnv({ KANSA_DATA_DIR: importedDir }));
  assert.equal(imported.code, 0, imported.stderr);

  const columns = `source, tenant, "externalId", "occurredAt", account, action, ip, "ipParsed", "appId", "appName", "userAgent", level, result, "isExport", "isCritical", "isLogin", "isFailedLogin", raw`;
  const read = async (dataDir: string) => {
    const db = await openDatabase({ dataDir });
    try {
      return await db.query<Record<string, unknown>>(`SELECT ${columns} FROM "AuditEvent" ORDER BY "externalId"`);
    } finally {
      await db.close();
    }
  };
  const a = await read(scrapedDir);
  const b = await read(importedDir);
  assert.equal(a.length, rowCount, "every row of the month exactly once");
  assert.deepEqual(a, b, "scraped events equal imported events, field for field");
});

test("a refused login: non-zero exit, the step named, no password in the output", async () => {
  const wrong = "not-the-Password-1";
  const result = await runKansa(
    ["collect", "--source", "kintone", "--from", "2026-10-01", "--to", "2026-10-01"],
    baseEnv({ KINTONE_HOSTNAME: url, KINTONE_ADMIN_ID: USER, KINTONE_ADMIN_PW: wrong, KANSA_DATA_DIR: join(dir, "refused"), LOG_LEVEL: "debug" }),
  );
  assert.notEqual(result.code, 0);
  const output = result.stdout + result.stderr;
  assert.match(output, /step \\?"submit\\?" failed at http:\/\/127\.0\.0\.1:\d+\/login/);
  assert.ok(!output.includes(wrong), "no password in stdout or stderr");
});
