import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";

// Issue 21, JSON/Auth0 part: one hostile record never sinks, poisons or exhausts an import.
// Each case runs the real `kansa import` on a throwaway embedded database and on PostgreSQL 15.

let dir = "";
let server: TestPostgres | null = null;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kansa-hostile-"));
  if (!postgresTestSkip()) server = await startPostgres();
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Backend = { env: NodeJS.ProcessEnv };

function kansa(backend: Backend, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "error", ...backend.env };
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { env, encoding: "utf8", timeout: 180_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let serial = 0;
function event(extra: Record<string, unknown> = {}): Record<string, unknown> {
  serial += 1;
  const logId = `9002026110108000000000000000000000000000000000${String(serial).padStart(10, "0")}`;
  return { date: "2026-11-01T08:00:00.000Z", type: "s", log_id: logId, user_name: `user${serial}@example.com`, hostname: "hostile.auth0.com", ...extra };
}
const ndjson = (events: unknown[]): string => events.map((e) => JSON.stringify(e)).join("\n") + "\n";

async function backendFor(kind: "pglite" | "postgres"): Promise<Backend> {
  if (kind === "pglite") return { env: { KANSA_DATA_DIR: mkdtempSync(join(dir, "data-")) } };
  const backend = { env: { KANSA_DATA_DIR: mkdtempSync(join(dir, "data-")), DATABASE_URL: await server!.createDatabase() } };
  const migrated = kansa(backend, "db", "migrate");
  assert.equal(migrated.code, 0, migrated.stderr);
  return backend;
}

interface Summary {
  total: { files: number; read: number; stored: number; duplicates: number; rejected: number; unreadable: number };
  files: { file: string; stored: number; error: string | null; rejections: { locator: string; reason: string }[] }[];
}

for (const kind of ["pglite", "postgres"] as const) {
  describe(kind === "pglite" ? "PGlite" : "PostgreSQL 15", { skip: kind === "postgres" ? postgresTestSkip() : false }, () => {
    test("a value nested 10,000 levels deep is one rejection naming its record and the bound; the files around it are imported", async () => {
      const backend = await backendFor(kind);
      const files = mkdtempSync(join(dir, "deep-"));
      writeFileSync(join(files, "1-good.ndjson"), ndjson([event(), event(), event()]));
      const deep = JSON.stringify(event()).replace(/}$/, `,"details":${"[".repeat(10_000)}${"]".repeat(10_000)}}`);
      writeFileSync(join(files, "2-deep.ndjson"), `${JSON.stringify(event())}\n${deep}\n${JSON.stringify(event())}\n`);
      writeFileSync(join(files, "3-good.ndjson"), ndjson([event(), event()]));
      const result = kansa(backend, "import", files, "--json");
      assert.equal(result.code, 0, result.stderr);
      const summary = JSON.parse(result.stdout) as Summary;
      assert.deepEqual(summary.total, { files: 3, unreadable: 0, read: 8, stored: 7, duplicates: 0, rejected: 1 });
      const bad = summary.files.find((f) => f.file.endsWith("2-deep.ndjson"))!;
      assert.equal(bad.rejections.length, 1);
      assert.equal(bad.rejections[0]!.locator, "record 2 (line 2)");
      assert.match(bad.rejections[0]!.reason, /nested deeper than 64 levels/);
    });

    test("a 10 KB log_id is one rejection naming the bound; a 10 KB hostname names no tenant, so its event is stored; the other events of the batch are stored", async () => {
      const backend = await backendFor(kind);
      const file = join(dir, `long-keys-${kind}.ndjson`);
      // Random text: a repeated character would be compressed small enough to fit the index.
      const long = randomBytes(5_000).toString("hex");
      const events = [event(), event(), event({ log_id: long }), event(), event({ hostname: `${long}.auth0.com` }), event(), event(), event()];
      writeFileSync(file, ndjson(events));
      const result = kansa(backend, "import", file, "--json");
      assert.equal(result.code, 0, result.stderr);
      const summary = JSON.parse(result.stdout) as Summary;
      assert.deepEqual(summary.total, { files: 1, unreadable: 0, read: 8, stored: 7, duplicates: 0, rejected: 1 });
      const [id] = summary.files[0]!.rejections;
      assert.equal(id!.locator, "record 3 (line 3)");
      assert.match(id!.reason, /the id \(log_id\) is 10000 bytes long; at most 1024 are accepted/);
      // The hostname is content, not a tenant: every event is under the one default tenant.
      const status = kansa(backend, "status", "--json");
      assert.equal(status.code, 0, status.stderr);
      const sources = (JSON.parse(status.stdout) as { sources: { source: string; tenant: string; events: number }[] }).sources;
      assert.deepEqual(sources.map((s) => [s.source, s.tenant, s.events]), [["auth0", "auth0", 7]]);
    });

    test("a lone UTF-16 surrogate is stored as U+FFFD: the file imports again (nothing new) and status and report read the row", async () => {
      const backend = await backendFor(kind);
      const file = join(dir, `surrogate-${kind}.ndjson`);
      // The JSON escape itself, as a hostile or broken exporter writes it.
      writeFileSync(file, '{"date":"2026-11-01T08:00:00Z","type":"s","log_id":"sur1","user_name":"a\\ud800b"}\n');
      const first = kansa(backend, "import", file, "--json");
      assert.equal(first.code, 0, first.stderr);
      assert.equal((JSON.parse(first.stdout) as Summary).total.stored, 1);
      const second = kansa(backend, "import", file, "--json");
      assert.equal(second.code, 0, second.stderr);
      assert.deepEqual((JSON.parse(second.stdout) as Summary).total, { files: 1, unreadable: 0, read: 1, stored: 0, duplicates: 1, rejected: 0 });
      const status = kansa(backend, "status", "--json");
      assert.equal(status.code, 0, status.stderr);
      assert.equal((JSON.parse(status.stdout) as { totalEvents: number }).totalEvents, 1);
      const report = kansa(backend, "report", "--today", "2026-11-02", "--json");
      assert.equal(report.code, 0, report.stderr);
      assert.doesNotThrow(() => JSON.parse(report.stdout));
    });

    test("a truncated .gz is reported as partially imported, with what was stored and why it stopped", async () => {
      const backend = await backendFor(kind);
      const file = join(dir, `truncated-${kind}.ndjson.gz`);
      const events = Array.from({ length: 3000 }, () => event({ details: { note: randomBytes(64).toString("hex") } }));
      const gz = gzipSync(ndjson(events));
      writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.8)));
      const result = kansa(backend, "import", file);
      assert.equal(result.code, 0, result.stderr);
      const match = /truncated-\w+\.ndjson\.gz: partially imported: read (\d+), stored (\d+), duplicates 0, rejected \d+; then: (.+)/.exec(result.stdout);
      assert.ok(match, result.stdout);
      assert.ok(Number(match[2]) > 1000 && Number(match[2]) < 3000, match[0]);
      assert.match(match[3]!, /unexpected end of file/i);
      assert.doesNotMatch(result.stdout, /not imported/);
    });
  });
}
