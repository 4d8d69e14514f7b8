/**
 * The daily job as users run it, against the emulated console (real Chromium), the emulated
 * Auth0 API, an SMTP catcher and a real PostgreSQL:
 * (a) `kansa backfill --month M` then `kansa run --today D` gives the same report as `kansa
 *     import` of the same files then `kansa run --today D --no-mail`;
 * (b) a second identical run sends no second mail;
 * (c) two runs started together on one database send one mail in all; a run that found the
 *     lock taken exits non-zero with a sentence;
 * (d) a failing source does not stop the other: the report has the Auth0 events, names the
 *     failure, and the exit code is non-zero.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";
import { startSmtpServer, type TestSmtpServer } from "../mail/smtp-helper.ts";
import { generateDataset, writeSample, type Dataset, type SampleResult } from "../../src/tools/generator/index.ts";
import { startConsoleEmulator, type ConsoleEmulator } from "../../src/tools/console-emulator/index.ts";
import { startAuth0Emulator, type Auth0Emulator } from "../../src/tools/auth0-emulator/index.ts";
import { chromiumExecutable } from "../../src/sources/kintone/settings.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import type { ReportModel } from "../../src/core/report-model.ts";
import { ZONE, addDays, childEnv, kansa, previousMonth, reportToday, withStore, type Ran } from "./helpers.ts";

const CHROMIUM = chromiumExecutable(process.env.CHROMIUM_PATH);
const pgSkip = postgresTestSkip();
const skip: string | false = pgSkip || (CHROMIUM ? false : "Chromium is missing (apt-get install chromium, or set CHROMIUM_PATH): the console cannot be scraped");

const USER = "daily-admin";
const PASSWORD = "Daily-job-pw-71";
const SECRET = "daily-auth0-client-secret-5";
const RECIPIENTS = ["security@example.com", "it-admin@example.com"];

const TODAY = reportToday();
const DAY = addDays(TODAY, -1);
const MONTH = previousMonth(DAY);

let dir: string;
let pg: TestPostgres | null = null;
let dataset: Dataset;
let sample: SampleResult;
let consoleEmulator: ConsoleEmulator;
let auth0Emulator: Auth0Emulator;
let smtp: TestSmtpServer;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), "kansa-daily-"));
  pg = await startPostgres();
  // ~20 people, ~300 console rows a day, the previous month and the days up to the reported one,
  // with labelled anomalies on the reported day.
  dataset = generateDataset({ seed: 17, people: 20, from: `${MONTH}-01`, to: DAY, timezone: ZONE, consolePerDay: 300, anomalies: { from: DAY, to: DAY } });
  sample = await writeSample(join(dir, "sample"), { dataset, lang: "ja" });
  consoleEmulator = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: dataset.consoleRows.map((r) => r.cells), lang: "ja" });
  auth0Emulator = await startAuth0Emulator({ events: dataset.auth0Events, retentionDays: null, rate: "off", clientSecret: SECRET });
  smtp = await startSmtpServer();
});

after(async () => {
  await consoleEmulator?.close();
  await auth0Emulator?.close();
  await smtp?.close();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The settings of a deployment that collects both sources and mails `smtpUrl`. */
function collectingEnv(databaseUrl: string, smtpUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return childEnv({
    DATABASE_URL: databaseUrl,
    KANSA_DATA_DIR: join(dir, "artifacts"),
    RETENTION_DAYS: "400",
    KINTONE_HOSTNAME: consoleEmulator.url,
    KINTONE_ADMIN_ID: USER,
    KINTONE_ADMIN_PW: PASSWORD,
    KINTONE_TENANT: dataset.organisation.consoleHost,
    CHROMIUM_PATH: CHROMIUM!,
    AUTH0_DOMAIN: auth0Emulator.url,
    AUTH0_CLIENT_ID: auth0Emulator.clientId,
    AUTH0_CLIENT_SECRET: SECRET,
    AUTH0_TENANT: dataset.organisation.auth0Domain,
    AUTH0_START_DAYS: "90",
    AUTH0_RETENTION_DAYS: "90",
    SMTP_URL: smtpUrl,
    MAIL_FROM: "kansa <kansa@example.com>",
    SEND_TO_LIST: RECIPIENTS.join(","),
    ...extra,
  });
}

/** A fresh, migrated database on the test server (as after Heroku's release phase). */
async function migratedDatabase(): Promise<string> {
  const url = await pg!.createDatabase();
  await withStore({ databaseUrl: url }, async (db) => void (await migrateDatabase(db)));
  return url;
}

function parseReport(ran: Ran, what: string): ReportModel {
  try {
    return JSON.parse(ran.stdout) as ReportModel;
  } catch {
    throw new Error(`${what} printed no report (exit ${ran.code}): ${ran.stdout.slice(0, 500)}\n${ran.stderr.slice(-3000)}`);
  }
}

/** The parts of a report that depend only on the stored data (not on when or how it was collected). */
function comparable(report: ReportModel) {
  return {
    day: report.day,
    timezone: report.timezone,
    totalEvents: report.totalEvents,
    baselineMonth: report.baselineMonth,
    sections: report.sections,
    baselines: report.baselines.map(({ computedAt: _computedAt, ...rest }) => rest),
    histogram: report.histogram,
    settings: report.settings,
  };
}

/** Messages received per recipient. */
function perRecipient(server: TestSmtpServer): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const mail of server.received) for (const to of mail.envelopeTo) counts[to] = (counts[to] ?? 0) + 1;
  return counts;
}

/** Auth0 events of the dataset on `day` in the report zone. */
function auth0EventsOn(day: string): number {
  return dataset.auth0Events.filter((e) => DateTime.fromISO(e.date, { zone: ZONE }).toISODate() === day).length;
}

let collectedReport: ReportModel;
let collectedUrl: string;

test("(a) kansa backfill --month M then kansa run --today D gives the same report as importing the same files", { skip, timeout: 1_500_000 }, async () => {
  collectedUrl = await pg!.createDatabase();
  const env = collectingEnv(collectedUrl, smtp.url);
  const backfilled = await kansa(["backfill", "--month", MONTH, "--json"], env);
  assert.equal(backfilled.code, 0, backfilled.stderr.slice(-3000));
  const backfill = JSON.parse(backfilled.stdout) as { from: string; to: string; results: Array<{ source: string; stored: number; errors: string[] }> };
  assert.equal(backfill.from, `${MONTH}-01`);
  assert.deepEqual(backfill.results.map((r) => r.source).sort(), ["auth0", "kintone"]);
  for (const r of backfill.results) {
    assert.deepEqual(r.errors, []);
    assert.ok(r.stored > 0, `${r.source} stored the month`);
  }
  const inMonth = dataset.consoleRows.filter((r) => r.cells.Date.startsWith(MONTH)).length;
  assert.equal(backfill.results.find((r) => r.source === "kintone")!.stored, inMonth, "every console row of the month, through the browser");

  const ran = await kansa(["run", "--today", TODAY, "--json"], env);
  assert.equal(ran.code, 0, ran.stderr.slice(-3000));
  collectedReport = parseReport(ran, "kansa run");

  const importedUrl = await pg!.createDatabase();
  const importEnv = childEnv({
    DATABASE_URL: importedUrl,
    RETENTION_DAYS: "400",
    KINTONE_TENANT: dataset.organisation.consoleHost,
    AUTH0_TENANT: dataset.organisation.auth0Domain,
  });
  const imported = await kansa(["import", ...sample.consoleFiles, ...sample.auth0Files], importEnv);
  assert.equal(imported.code, 0, imported.stderr.slice(-3000));
  const fromFiles = await kansa(["run", "--today", TODAY, "--json", "--no-mail"], importEnv);
  assert.equal(fromFiles.code, 0, fromFiles.stderr.slice(-3000));
  const importedReport = parseReport(fromFiles, "kansa run on imported data");

  // Both stores hold the same events.
  const count = (url: string) => withStore({ databaseUrl: url }, (db) => db.query<{ source: string; n: number }>(`SELECT source, count(*)::int AS n FROM "AuditEvent" GROUP BY source ORDER BY source`));
  assert.deepEqual(await count(collectedUrl), await count(importedUrl));

  const report = collectedReport;
  assert.equal(report.day, DAY);
  assert.equal(report.baselineMonth, MONTH);
  assert.ok(report.sections.exports.total > 0, "exports listed");
  assert.ok(report.sections.critical.total > 0, "critical events listed");
  assert.ok(report.sections.lateNight.total + (report.sections.lateNight.failed?.total ?? 0) > 0, "late-night logins listed");
  assert.ok(report.sections.outliers.total > 0, "outliers listed");
  assert.ok(report.sections.outliers.items.every((o) => Number.isFinite(o.distance) && o.contributions.length > 0));
  assert.deepEqual(report.baselines.map((b) => b.source).sort(), ["auth0", "kintone"]);
  for (const b of report.baselines) {
    assert.equal(b.month, MONTH);
    assert.ok(b.n > 0);
  }
  const kintoneBaseline = report.baselines.find((b) => b.source === "kintone")!;
  assert.equal(kintoneBaseline.n, dataset.consoleRows.filter((r) => r.cells.Date.startsWith(MONTH)).length, "the console baseline counts the month's rows");
  assert.equal(report.histogram.reduce((s, b) => s + b.day, 0), report.totalEvents);
  assert.deepEqual(comparable(report), comparable(importedReport), "the same report from collected and from imported data");
  assert.ok(!(report.notices ?? []).some((n) => /failed/.test(n)), `no failure: ${JSON.stringify(report.notices)}`);
  assert.equal(report.sources.find((s) => s.source === "kintone")?.errors.length, 0);

  assert.deepEqual(perRecipient(smtp), Object.fromEntries(RECIPIENTS.map((r) => [r, 1])), "the report was mailed once to each recipient");
  const subject = smtp.received[0]!.parsed.subject ?? "";
  assert.ok(subject.includes(DAY), `the subject names the day: ${subject}`);
  assert.ok(!`${ran.stdout}${ran.stderr}${backfilled.stdout}${backfilled.stderr}`.includes(PASSWORD), "no password in any output");
  assert.ok(!`${ran.stdout}${ran.stderr}${backfilled.stdout}${backfilled.stderr}`.includes(SECRET), "no client secret in any output");
});

test("(b) a second identical kansa run --today D sends no second mail", { skip, timeout: 900_000 }, async () => {
  assert.ok(collectedUrl, "(a) ran first");
  const again = await kansa(["run", "--today", TODAY, "--json"], collectingEnv(collectedUrl, smtp.url));
  assert.equal(again.code, 0, again.stderr.slice(-3000));
  const report = parseReport(again, "the second run");
  assert.deepEqual(comparable(report), comparable(collectedReport), "the same report again (nothing stored twice)");
  assert.deepEqual(perRecipient(smtp), Object.fromEntries(RECIPIENTS.map((r) => [r, 1])), "still one message per recipient");
  const runs = await withStore({ databaseUrl: collectedUrl }, (db) => db.prisma.run.findMany({ where: { kind: "run" }, orderBy: { id: "asc" } }));
  assert.equal(runs.length, 2);
  assert.deepEqual(runs.map((r) => (r.stats as { mailed?: boolean }).mailed), [true, false], "the Run records say which run mailed");
  assert.ok(runs.every((r) => r.status === "ok" && r.day === DAY));
});

test("(c) two kansa run --today D at the same moment on one database send one mail in all; the one that found the lock says so", { skip, timeout: 900_000 }, async () => {
  const url = await migratedDatabase();
  const catcher = await startSmtpServer();
  // A slow console keeps the first run inside the lock while the second starts.
  consoleEmulator.switches.slowMs = 1500;
  try {
    const env = collectingEnv(url, catcher.url);
    const [one, two] = await Promise.all([kansa(["run", "--today", TODAY], env), kansa(["run", "--today", TODAY], env)]);
    const results = [one, two];
    const locked = results.filter((r) => /Another kansa run is in progress/.test(r.stderr));
    assert.equal(locked.length, 1, `exactly one run found the lock taken:\n${results.map((r) => `exit ${r.code}: ${r.stderr.slice(-1500)}`).join("\n---\n")}`);
    assert.notEqual(locked[0]!.code, 0, "the run that found the lock taken exits non-zero");
    const winner = results.find((r) => r !== locked[0])!;
    assert.equal(winner.code, 0, winner.stderr.slice(-3000));
    assert.deepEqual(perRecipient(catcher), Object.fromEntries(RECIPIENTS.map((r) => [r, 1])), "one mail in all");
    const runs = await withStore({ databaseUrl: url }, (db) => db.prisma.run.findMany({ where: { kind: "run" } }));
    assert.equal(runs.length, 1, "only the run that held the lock is recorded");
    assert.equal(runs[0]!.status, "ok");
  } finally {
    consoleEmulator.switches.slowMs = 0;
    await catcher.close();
  }
});

test("(d) a console with a wrong password does not stop Auth0: the report has its events, names the failure, and the exit code is non-zero", { skip, timeout: 900_000 }, async () => {
  const url = await migratedDatabase();
  const wrong = "Not-the-password-3";
  const ran = await kansa(["run", "--today", TODAY, "--json", "--no-mail"], collectingEnv(url, smtp.url, { KINTONE_ADMIN_PW: wrong }));
  assert.notEqual(ran.code, 0, "non-zero exit when a source failed");
  const report = parseReport(ran, "the run with a failing console");
  const kintone = report.sources.find((s) => s.source === "kintone");
  const auth0 = report.sources.find((s) => s.source === "auth0");
  assert.ok(kintone && auth0, JSON.stringify(report.sources));
  assert.ok(kintone.errors.length > 0, "the console's failure is in its source health");
  assert.match(kintone.errors.join(" "), /login/i);
  assert.deepEqual(auth0.errors, []);
  assert.ok(auth0.stored > 0);
  const failedAlarms = report.alarms.filter((a) => a.kind === "source-failed");
  assert.deepEqual(failedAlarms.map((a) => a.source), ["kintone"], `an alarm names the failure: ${JSON.stringify(report.alarms)}`);
  assert.match(failedAlarms[0]!.message, /login/i);
  const expected = auth0EventsOn(DAY);
  assert.ok(expected > 0);
  assert.equal(report.totalEvents, expected, "the day's Auth0 events are all reported");
  assert.ok(report.histogram.reduce((s, b) => s + b.day, 0) === expected);
  assert.match(ran.stderr, /kintone/);
  assert.ok(!`${ran.stdout}${ran.stderr}`.includes(wrong), "the password is in no output");
  const runs = await withStore({ databaseUrl: url }, (db) => db.prisma.run.findMany({ where: { kind: "run" } }));
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.status, "failed");
  assert.ok((runs[0]!.errors as string[]).some((e) => /kintone/.test(e)));
  assert.ok(existsSync(join(dir, "artifacts")), "the failing step left its artifacts (screenshot) under KANSA_DATA_DIR");
});
