/**
 * The source contract, end to end: a throwaway source (test/fixtures/sources/notes-saas/, an
 * NDJSON audit log of a fictional SaaS that resumes from a cursor it advances) registered by one
 * line, KANSA_EXTRA_SOURCES, with no file of src/ touched. The real CLI imports its files,
 * collects it, backfills it and runs the day with it; the events are stored once, resumed from
 * the cursor, classified by the source's own rules and counted in the report and the status.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, cliEnv, runKansa } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kansa-extra-source-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const line = (id: string, time: string, actor: string, op: string) =>
  `${JSON.stringify({ notes_saas: 1, id, at: `2026-10-02T${time}Z`, actor, op, ip: "198.51.100.7", notebook: "nb-1", notebook_name: "Team notes", ua: "NotesApp/1.0" })}\n`;

const log = join(dir, "notes-audit.ndjson");
const env = cliEnv({
  KANSA_DATA_DIR: join(dir, "data"),
  KANSA_EXTRA_SOURCES: join(ROOT, "test/fixtures/sources/notes-saas/index.ts"),
  NOTES_SAAS_LOG: log,
  REPORT_TIMEZONE: "UTC",
  LOG_LEVEL: "error",
});

async function kansa(...args: string[]) {
  const ran = await runKansa(args, env);
  assert.equal(ran.code, 0, `kansa ${args.join(" ")}: ${ran.stderr}${ran.stdout}`);
  return ran.stdout;
}

test("a source registered by one line is imported, collected, resumed, backfilled, run and reported", async () => {
  // import: its own file format, detected among the registered ones
  const exported = join(dir, "export.ndjson");
  writeFileSync(exported, line("i-1", "09:00:00", "alice", "login.success") + line("i-2", "10:00:00", "bob", "note.export") + line("i-3", "11:00:00", "carol", "note.share_public"));
  const imported = await kansa("import", exported);
  assert.match(imported, /export\.ndjson \(NDJSON of Notes SaaS events, 3 values\): read 3, stored 3, duplicates 0, rejected 0/);

  // collect: from no cursor, then from the cursor it saved (only the new lines are read)
  writeFileSync(log, line("c-1", "08:00:00", "dave", "login.failure") + line("c-2", "08:01:00", "dave", "login.success") + line("c-3", "12:00:00", "dave", "note.edit") + line("c-4", "13:00:00", "erin", "note.export"));
  assert.match(await kansa("collect", "--source", "notes-saas"), /notes-saas \(notes\.example\): collected 4, stored 4, duplicates 0, rejected 0\./);
  appendFileSync(log, line("c-5", "14:00:00", "erin", "note.edit") + line("c-6", "15:00:00", "erin", "note.export"));
  assert.match(await kansa("collect", "--source", "notes-saas"), /notes-saas \(notes\.example\): collected 2, stored 2, duplicates 0, rejected 0\./);

  // backfill: a cursor-resumed source pulls from its cursor
  appendFileSync(log, line("c-7", "16:00:00", "frank", "note.edit"));
  assert.match(await kansa("backfill", "--from", "2026-10-01", "--to", "2026-10-02"), /notes-saas \(notes\.example\): collected 1, stored 1, duplicates 0, rejected 0\./);

  // run: collects the rest, then the report of 2026-10-02 counts the source's events by its own rules
  appendFileSync(log, line("c-8", "17:00:00", "frank", "note.share_public"));
  const report = JSON.parse(await kansa("run", "--today", "2026-10-03", "--no-mail", "--json")) as {
    totalEvents: number;
    sources: { source: string; tenant: string; collected: number; stored: number; eventsThatDay?: number }[];
    sections: { exports: { total: number }; critical: { total: number } };
  };
  const health = report.sources.find((s) => s.source === "notes-saas")!;
  assert.deepEqual([health.tenant, health.collected, health.stored, health.eventsThatDay], ["notes.example", 1, 1, 11]);
  assert.equal(report.totalEvents, 11);
  assert.equal(report.sections.exports.total, 3, "i-2, c-4 and c-6 are exports by the source's rules");
  assert.equal(report.sections.critical.total, 2, "i-3 and c-8 are critical by the source's rules");

  const status = JSON.parse(await kansa("status", "--json")) as { totalEvents: number; sources: { source: string; tenant: string; events: number }[] };
  assert.equal(status.totalEvents, 11);
  assert.deepEqual(status.sources.map((s) => [s.source, s.tenant, s.events]), [["notes-saas", "notes.example", 11]]);

  // a name the registry does not hold is refused with the registered names
  const unknown = await runKansa(["collect", "--source", "no-such-saas"], env);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr + unknown.stdout, /--source must be one of auth0, kintone, notes-saas, got "no-such-saas"/);
});

test("a KANSA_EXTRA_SOURCES entry that is missing or not a source definition stops kansa with a sentence naming it, not a stack trace", async () => {
  const missing = join(dir, "no-such-source.ts");
  const ran = await runKansa(["status"], cliEnv({ KANSA_DATA_DIR: join(dir, "bad-data"), KANSA_EXTRA_SOURCES: missing }));
  assert.equal(ran.code, 1, ran.stderr);
  assert.match(ran.stderr, new RegExp(`^kansa: KANSA_EXTRA_SOURCES: could not load ${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*\\[E_CONFIG\\]\\n$`));

  const partial = join(dir, "partial-source.mjs");
  writeFileSync(partial, `export default { name: "partial", normalize() {} };\n`);
  const bad = await runKansa(["status"], cliEnv({ KANSA_DATA_DIR: join(dir, "bad-data"), KANSA_EXTRA_SOURCES: partial }));
  assert.equal(bad.code, 1, bad.stderr);
  assert.equal(bad.stderr, `kansa: KANSA_EXTRA_SOURCES: ${partial} is not a source definition: it lacks create(), classify(), files, settings, appIdKind ("number" or "text"). [E_CONFIG]\n`);
});
