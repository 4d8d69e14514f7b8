/**
 * Issue 21, point 9 (tenants): an imported Auth0 file names no tenant by its events' `hostname`.
 * The reproduction: one NDJSON file whose events carry 160 distinct hostnames made 160 tenants,
 * each with its own baseline, alarm and rows in the mail (641 KB of HTML, past Gmail's clipping).
 * Now they are one tenant ("auth0", or what --tenant / AUTH0_TENANT / AUTH0_DOMAIN name), the
 * hostnames stay in each stored event, and the file's summary says once how to split them.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setClock } from "../../src/core/clock.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { renderReport } from "../../src/mail/render-report.ts";
import { buildReport } from "../../src/report/build-report.ts";
import { importFiles } from "../../src/schedule/import-files.ts";
import { readFiles, type FileItem } from "../../src/sources/files/index.ts";
import { fileFormats } from "../../src/sources/registry.ts";
import type { Config } from "../../src/core/config.ts";
import type { Database } from "../../src/store/database.ts";
import { readStoreStatus } from "../../src/store/status.ts";
import { defaultConfig } from "../helpers/options.ts";
import { openTestPglite } from "../helpers/pglite.ts";

const HOSTNAMES = 160;
const PER_HOST = 5;
const GMAIL_CLIPS_AT = 102_000;

let dir = "";
let file = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "kansa-tenants-"));
  file = join(dir, "many-hosts.ndjson");
  const lines: string[] = [];
  for (let h = 0; h < HOSTNAMES; h++) {
    for (let i = 0; i < PER_HOST; i++) {
      const n = h * PER_HOST + i;
      const minute = String(n % 60).padStart(2, "0");
      lines.push(JSON.stringify({
        date: `2026-10-05T${String(1 + (n % 20)).padStart(2, "0")}:${minute}:00.000Z`,
        type: i === 0 ? "sdu" : "s",
        description: "",
        log_id: `90020261005${String(n).padStart(45, "0")}`,
        user_name: `user${n}@example.com`,
        ip: "203.0.113.9",
        hostname: `tenant-${h}.eu.auth0.com`,
      }));
    }
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
});
after(() => {
  setClock(null);
  rmSync(dir, { recursive: true, force: true });
});

async function items(options: { tenant?: string; config?: Partial<Config>; batchSize?: number } = {}): Promise<FileItem[]> {
  const out: FileItem[] = [];
  for await (const item of readFiles([file], { formats: fileFormats(), config: {}, ...options })) out.push(item);
  return out;
}

test("160 hostnames in one file are one tenant, and the file's summary says so once", async () => {
  const read = await items({ batchSize: 100 });
  const tenants = new Set(read.flatMap((i) => (i.kind === "batch" ? [i.batch.tenant] : [])));
  assert.deepEqual([...tenants], ["auth0"]);
  const ends = read.flatMap((i) => (i.kind === "file-end" ? [i.detail] : []));
  assert.deepEqual(ends, [
    `NDJSON of Auth0 events, ${HOSTNAMES * PER_HOST} values; ${HOSTNAMES} distinct hostnames, all stored under tenant "auth0": import each tenant's files with --tenant NAME to keep them apart`,
  ]);
  // A setting names the tenant: no note.
  for (const options of [{ tenant: "acme" }, { config: { auth0Tenant: "acme" } }, { config: { auth0Domain: "https://acme.eu.auth0.com/" } }]) {
    const named = await items(options);
    const names = new Set(named.flatMap((i) => (i.kind === "batch" ? [i.batch.tenant] : [])));
    assert.equal(names.size, 1);
    assert.ok(!names.has("auth0"), JSON.stringify(options));
    assert.deepEqual(named.flatMap((i) => (i.kind === "file-end" ? [i.detail] : [])), [`NDJSON of Auth0 events, ${HOSTNAMES * PER_HOST} values`]);
  }
});

test("the import stores one tenant with every hostname kept, and the day's mail stays under Gmail's clipping", async () => {
  const db: Database = await openTestPglite();
  try {
    const result = await importFiles(db, [file], { config: defaultConfig("UTC"), log: silentLogger, batchSize: 200 });
    assert.equal(result.total.stored, HOSTNAMES * PER_HOST);
    const status = await readStoreStatus(db);
    assert.deepEqual(status.sources.map((s) => [s.source, s.tenant, s.events]), [["auth0", "auth0", HOSTNAMES * PER_HOST]]);
    const hosts = await db.query<{ n: number }>(`SELECT count(DISTINCT raw->>'hostname')::int AS n FROM "AuditEvent"`);
    assert.equal(Number(hosts[0]!.n), HOSTNAMES);

    setClock(new Date("2026-10-06T06:00:00Z"));
    const config = loadConfig({ REPORT_TIMEZONE: "UTC", LOG_LEVEL: "silent" });
    const model = await buildReport(db, config, "2026-10-06");
    assert.deepEqual(model.sources.map((s) => [s.source, s.tenant, s.eventsThatDay]), [["auth0", "auth0", HOSTNAMES * PER_HOST]]);
    assert.equal(model.alarms.length, 1, "one baseline-missing alarm, not one per hostname");
    const { html } = await renderReport(model, { lang: "en" });
    const bytes = Buffer.byteLength(html);
    assert.ok(bytes < GMAIL_CLIPS_AT, `HTML is ${bytes} bytes`);
  } finally {
    await db.close();
  }
});
