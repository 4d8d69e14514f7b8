/**
 * Issue 21, display: `kansa status` with a hostile tenant name stored (a terminal title
 * sequence, CR LF, a C1 CSI, a right-to-left override) writes none of those characters to
 * the terminal, in text or JSON; the JSON still parses to the stored name.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openDatabase } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { event, store } from "../report/fixtures.ts";
import { cliEnv, runKansa, type Ran } from "../helpers/cli.ts";

const HOSTILE = "evil.example\u001b]0;pwned\u0007\r\nkintone / fake.example\u009b2J\u202egnp";
// ESC, BEL, CR, C1 controls and the override; LF only as the line ends.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
let dataDir: string;

function kansa(args: string[]): Promise<Ran> {
  return runKansa(args, cliEnv({ LOG_LEVEL: "error", KANSA_DATA_DIR: dataDir, REPORT_TIMEZONE: "Asia/Tokyo" }));
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "kansa-status-hostile-"));
  const db = await openDatabase({ dataDir });
  try {
    await migrateDatabase(db);
    await store(db, [event("2026-10-05T10:00:00", { tenant: HOSTILE, account: "mallory\u001b[2J", externalId: "hostile" })]);
  } finally {
    await db.close();
  }
});

after(() => rmSync(dataDir, { recursive: true, force: true }));

test("kansa status shows a hostile tenant name escaped, on one line", async () => {
  const { code, stdout, stderr } = await kansa(["status"]);
  assert.equal(code, 0, stderr);
  assert.ok(!RAW.test(stdout), JSON.stringify(stdout));
  assert.ok(!RAW.test(stderr), JSON.stringify(stderr));
  assert.ok(stdout.includes("evil.example\\u{001B}]0;pwned\\u{0007}\\u{000D}\\u{000A}kintone / fake.example\\u{009B}2J\\u{202E}gnp"), stdout);
  // The forged "kintone / fake.example" block header never starts a line of its own.
  assert.ok(!stdout.split("\n").some((line) => line.startsWith("kintone / fake.example")), stdout);
});

test("kansa status --json escapes it too and parses to the stored name", async () => {
  const { code, stdout, stderr } = await kansa(["status", "--json"]);
  assert.equal(code, 0, stderr);
  assert.ok(!RAW.test(stdout), JSON.stringify(stdout));
  const status = JSON.parse(stdout) as { sources: { tenant: string }[] };
  assert.deepEqual(status.sources.map((s) => s.tenant), [HOSTILE]);
});
