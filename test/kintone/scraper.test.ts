/**
 * The kintone source against the emulated console, with a real Chromium (one for the file):
 * login and a day's download, splitting at the cap, wrong password, changed page, a slow page,
 * a failing download, session expiry mid-run, hostile cells, and both UI languages.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { SourceError } from "../../src/core/errors.ts";
import { clearSecrets } from "../../src/core/secrets.ts";
import { startConsoleEmulator, type ConsoleEmulator, type ConsoleEmulatorOptions } from "../../src/tools/console-emulator/index.ts";
import { generateConsoleCells } from "../../src/tools/console-emulator/load-data.ts";
import { cellSet, dayRange, onDays, pull, removeTempDirs, savedFiles, startBrowser, tempDir, ZONE } from "./helpers.ts";

const USER = "admin@example.co.jp";
const PASSWORD = "Pa55-word:kintone!";
const DATA = generateConsoleCells({ from: "2026-10-01", to: "2026-10-03", perDay: 1200, timezone: ZONE });

let browser: Browser;
const emulators: ConsoleEmulator[] = [];
before(async () => {
  browser = await startBrowser();
});
after(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  await browser.close();
  clearSecrets();
  removeTempDirs();
});

async function emulator(options: Partial<ConsoleEmulatorOptions> = {}): Promise<ConsoleEmulator> {
  const e = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: DATA, ...options });
  emulators.push(e);
  return e;
}

test("logs in through the form (SAML on: /login?saml=off) and downloads a day", async () => {
  const console = await emulator({ saml: true });
  const result = await pull({ url: console.url, user: USER, password: PASSWORD, browser, range: dayRange("2026-10-02") });
  assert.equal(result.error, null, String(result.error));
  const expected = onDays(DATA, "2026-10-02");
  assert.ok(expected.length > 500);
  assert.deepEqual(cellSet(result.rows.map((r) => r.cells)), cellSet(expected));
  assert.equal(console.stats.logins, 1);
  assert.equal(console.stats.downloads, 1);
  assert.equal(result.stats.downloads, 1);
  const last = result.batches.at(-1)!;
  assert.equal(last.cursor, dayRange("2026-10-02").to.toISOString(), "the cursor is the end of the range collected");
  assert.equal(last.tenant, new URL(console.url).host);
  assert.match(last.origin, /\/admin\/auditlog\/download \[2026-10-02 00:00:00 – 2026-10-02 23:59:59 \(Asia\/Tokyo\)\]$/);
  assert.ok(result.logLines.every((line) => !line.includes(PASSWORD)), "no password in the log");
});

test("a range whose download hits the cap is split in halves until no part is capped", async () => {
  const console = await emulator({ downloadCap: 700 });
  const result = await pull({ url: console.url, user: USER, password: PASSWORD, browser, cap: 700, range: dayRange("2026-10-02") });
  assert.equal(result.error, null, String(result.error));
  const expected = onDays(DATA, "2026-10-02");
  assert.deepEqual(cellSet(result.rows.map((r) => r.cells)), cellSet(expected), "every row exactly once");
  assert.ok((result.stats.splits ?? 0) >= 2, `split ${result.stats.splits} times`);
  assert.equal(result.stats.downloads, console.stats.downloads);
  // Every kept part was below the cap; cursors only move forward.
  const cursors = result.batches.map((b) => b.cursor).filter((c): c is string => c !== undefined);
  assert.deepEqual(cursors, [...cursors].sort());
  assert.equal(cursors.at(-1), dayRange("2026-10-02").to.toISOString());
  for (const batch of result.batches) assert.ok(batch.source === "kintone" && batch.records.length < 700);
});

test("wrong password: a clear error at step submit, not retried, no password in error, log, screenshot or page", async () => {
  const console = await emulator();
  const wrong = "wrong-Secret-pw-77";
  const result = await pull({ url: console.url, user: USER, password: wrong, browser, range: dayRange("2026-10-01") });
  assert.ok(result.error instanceof SourceError, String(result.error));
  assert.equal(result.error.code, "E_KINTONE_LOGIN");
  assert.equal(result.error.retryable, false);
  assert.equal(result.error.details.step, "submit");
  assert.match(result.error.message, /step "submit" failed at http:\/\/127\.0\.0\.1:\d+\/login: /);
  assert.match(result.error.message, /KINTONE_ADMIN_PW/);
  assert.equal(console.stats.failedLogins, 1, "a refused login is not retried");
  assert.equal(console.stats.logins, 0);
  const everything = [result.error.message, JSON.stringify(result.error.details), String((result.error as Error).cause), ...result.logLines].join("\n");
  assert.ok(!everything.includes(wrong), "the password appears nowhere");
  const files = savedFiles(result.artifactsDir);
  assert.ok(files.some((f) => f.name.endsWith(".png")), "a screenshot was saved");
  const html = files.find((f) => f.name.endsWith(".html"));
  assert.ok(html, "the page was saved");
  assert.match(html.bytes.toString("utf8"), /name="password"/, "the saved page is the login form");
  for (const file of files) assert.ok(!file.bytes.includes(Buffer.from(wrong)), `${file.name} holds no password`);
  assert.ok(String(result.error.details.screenshot).startsWith(result.artifactsDir));
});

test("a changed page (an element renamed): the error names the step and the selector", async () => {
  const console = await emulator({ switches: { renameElement: "auditlog-search" } });
  const result = await pull({ url: console.url, user: USER, password: PASSWORD, browser, timeoutMs: 4000, range: dayRange("2026-10-01") });
  assert.ok(result.error instanceof SourceError, String(result.error));
  assert.equal(result.error.code, "E_KINTONE_PAGE");
  assert.match(result.error.message, /step "set range" failed at http:\/\/127\.0\.0\.1:\d+\/admin\/auditlog\/: expected the search button \(#auditlog-search\)/);
  assert.ok(savedFiles(result.artifactsDir).some((f) => f.name.endsWith(".png")));
  assert.equal(console.stats.downloads, 0);
});

test("a slow page: a time-out names the step and the URL", async () => {
  const console = await emulator({ switches: { slowMs: 8000 } });
  const result = await pull({ url: console.url, user: USER, password: PASSWORD, browser, timeoutMs: 2500, retries: 0, range: dayRange("2026-10-01") });
  assert.ok(result.error instanceof SourceError, String(result.error));
  assert.equal(result.error.code, "E_KINTONE_TIMEOUT");
  assert.equal(result.error.retryable, true);
  assert.match(result.error.message, /step "reach audit log" failed at http:\/\/127\.0\.0\.1:\d+\/admin\/: expected the audit log filter \(#auditlog-filter\); (nothing happened|the page did not finish loading) within 2500 ms/);
});

test("a console answering HTTP 500: the error says so at once, not a changed page after the time-out", async (t) => {
  const server = createServer((_req, res) => {
    res.writeHead(500, { "content-type": "text/html" });
    res.end("<html><body><h1>Internal Server Error</h1></body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const started = Date.now();
  const result = await pull({ url: `http://127.0.0.1:${port}`, user: USER, password: PASSWORD, browser, timeoutMs: 20_000, retries: 1, range: dayRange("2026-10-01") });
  const seconds = (Date.now() - started) / 1000;
  assert.ok(result.error instanceof SourceError, String(result.error));
  assert.equal(result.error.code, "E_KINTONE_PAGE");
  assert.match(result.error.message, /step "open login" failed at http:\/\/127\.0\.0\.1:\d+\/login: expected the login form .*the console answered HTTP 500 Internal Server Error/);
  assert.doesNotMatch(result.error.message, /may have changed/);
  // Two tries (a 5xx is retried once), each ending at the answer, not at the 20 s time-out.
  assert.ok(seconds < 15, `gave up after ${seconds.toFixed(1)} s`);
});

test("a download that fails mid-transfer is retried; one that always fails is an error at step download", async () => {
  const flaky = await emulator({ switches: { failDownloads: 1 } });
  const ok = await pull({ url: flaky.url, user: USER, password: PASSWORD, browser, range: dayRange("2026-10-03") });
  assert.equal(ok.error, null, String(ok.error));
  assert.equal(ok.stats.retries, 1);
  assert.equal(flaky.stats.failedDownloads, 1);
  assert.deepEqual(cellSet(ok.rows.map((r) => r.cells)), cellSet(onDays(DATA, "2026-10-03")));

  const broken = await emulator({ switches: { failDownloads: Infinity } });
  const failed = await pull({ url: broken.url, user: USER, password: PASSWORD, browser, retries: 1, range: dayRange("2026-10-03") });
  assert.ok(failed.error instanceof SourceError, String(failed.error));
  assert.equal(failed.error.code, "E_KINTONE_DOWNLOAD");
  assert.match(failed.error.message, /step "download" failed at .*\/admin\/auditlog\/: expected a complete CSV file; the download failed/);
  assert.equal(broken.stats.failedDownloads, 2);
});

test("the session expiring mid-run: logs in again and goes on, every row once", async () => {
  // A cap below three days' rows makes several downloads; the session ends after the first.
  const console = await emulator({ downloadCap: 1500, switches: { expireSessionsAfterDownloads: 1 } });
  const result = await pull({ url: console.url, user: USER, password: PASSWORD, browser, cap: 1500, range: dayRange("2026-10-01", "2026-10-03") });
  assert.equal(result.error, null, String(result.error));
  assert.equal(result.stats.relogins, 1);
  assert.equal(console.stats.logins, 2);
  assert.deepEqual(cellSet(result.rows.map((r) => r.cells)), cellSet(DATA));
});

test("cells with quotes, commas, newlines and HTML come through exactly", async () => {
  const hostile = [
    { Date: "2026-10-05 12:00:01", Level: "重要", Service: "kintone", User: 'o"brien, <admin>', "IP Address": "xx.xxx.xxx.xx", "User Agent": 'Mozilla/5.0 "quoted", (x)', Module: "App operation", Action: "Record export", Result: "SUCCESS", "Error Code": "", Complement: 'app id: 12, app name: <script>alert("x")</script>\r\nline 2, "quoted"\nline 3' },
    { Date: "2026-10-05 12:00:01", Level: "重要", Service: "kintone", User: 'o"brien, <admin>', "IP Address": "xx.xxx.xxx.xx", "User Agent": 'Mozilla/5.0 "quoted", (x)', Module: "App operation", Action: "Record export", Result: "SUCCESS", "Error Code": "", Complement: 'app id: 12, app name: <script>alert("x")</script>\r\nline 2, "quoted"\nline 3' },
    { Date: "2026-10-05 00:00:00", Level: "情報", Service: "共通", User: "", "IP Address": "::ffff:203.0.113.10", "User Agent": "", Module: "Authentication", Action: "login", Result: "FAILED", "Error Code": "CB_WA01", Complement: "=cmd|' /C calc'!A0" },
  ];
  const console = await emulator({ rows: hostile });
  const result = await pull({ url: console.url, user: USER, password: PASSWORD, browser, range: dayRange("2026-10-05") });
  assert.equal(result.error, null, String(result.error));
  assert.deepEqual(cellSet(result.rows.map((r) => r.cells)), cellSet(hostile));
  assert.deepEqual(result.rows.map((r) => r.ordinal).sort(), [0, 0, 1], "identical rows of one second get ordinals 0 and 1");
});

test("both UI languages: the English console's CSV reads to the same entries, in English names", async () => {
  const en = await emulator({ lang: "en" });
  const result = await pull({ url: en.url, user: USER, password: PASSWORD, browser, range: dayRange("2026-10-02") });
  assert.equal(result.error, null, String(result.error));
  const toEnglish = (cells: Record<string, string>) => ({
    ...cells,
    Level: ({ 重要: "Notice", 情報: "Information" } as Record<string, string>)[cells.Level ?? ""] ?? cells.Level ?? "",
    Service: cells.Service === "共通" ? "Common" : cells.Service ?? "",
  });
  assert.deepEqual(cellSet(result.rows.map((r) => r.cells)), cellSet(onDays(DATA, "2026-10-02").map(toEnglish)));
  assert.ok(result.rows.some((r) => r.cells.Level === "Notice" || r.cells.Level === "Information"));
  assert.ok(result.rows.every((r) => !/重要|情報/.test(r.cells.Level ?? "")));
});

test("the browser a pull starts is closed again, also when the pull fails", async () => {
  const { execFileSync } = await import("node:child_process");
  const { scrapeAuditLog } = await import("../../src/sources/kintone/scraper.ts");
  const { chromiumExecutable } = await import("../../src/sources/kintone/settings.ts");
  const { silentLogger } = await import("../../src/core/logger.ts");
  const browsers = () => execFileSync("ps", ["-o", "pid=,comm=", "--ppid", String(process.pid)], { encoding: "utf8" }).split("\n").filter((l) => /chrom/i.test(l)).length;
  const before = browsers();
  const console = await emulator();
  const stats: Record<string, number> = {};
  const pullOnce = async (password: string) => {
    const rows = [];
    for await (const batch of scrapeAuditLog(dayRange("2026-10-01"), {
      base: new URL(console.url), user: USER, password, zone: ZONE, tenant: "t", cap: 100_000, timeoutMs: 10_000,
      executablePath: chromiumExecutable(process.env.CHROMIUM_PATH), artifactsDir: tempDir("kansa-kintone-"),
      log: silentLogger, stats, warnings: [],
    })) rows.push(batch);
    return rows;
  };
  await assert.rejects(pullOnce("wrong-password-x"), (error: unknown) => error instanceof SourceError && error.code === "E_KINTONE_LOGIN");
  assert.equal(browsers(), before, "no browser left after a failure");
  // Stopping early (the consumer breaks out) closes it too.
  for await (const batch of scrapeAuditLog(dayRange("2026-10-01"), {
    base: new URL(console.url), user: USER, password: PASSWORD, zone: ZONE, tenant: "t", cap: 100_000, timeoutMs: 10_000,
    executablePath: chromiumExecutable(process.env.CHROMIUM_PATH), artifactsDir: tempDir("kansa-kintone-"),
    log: silentLogger, stats, warnings: [],
  })) {
    assert.equal(browsers(), before + 1, "the pull's own browser runs while it yields");
    assert.equal(batch.source, "kintone");
    break;
  }
  assert.equal(browsers(), before, "no browser left after stopping early");
  assert.ok((stats.browserStartMs ?? 0) > 0);
});

test("a session that ends just before the download: the login page comes back instead of a file", async () => {
  const { logIn } = await import("../../src/sources/kintone/login-page.ts");
  const { reachAuditLog, setRange } = await import("../../src/sources/kintone/audit-log-page.ts");
  const { downloadCsv } = await import("../../src/sources/kintone/download-page.ts");
  const { consoleWindow } = await import("../../src/sources/kintone/ranges.ts");
  const { SessionExpired } = await import("../../src/sources/kintone/steps.ts");
  const console = await emulator();
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    const page = await context.newPage();
    const ctx = { page, base: new URL(console.url), user: USER, password: PASSWORD, timeoutMs: 10_000, artifactsDir: tempDir("kansa-kintone-") };
    await logIn(ctx);
    await reachAuditLog(ctx);
    const window = consoleWindow(dayRange("2026-10-01").from, dayRange("2026-10-01").to, ZONE)!;
    await setRange(ctx, window);
    console.expireSessions();
    await assert.rejects(downloadCsv(ctx, window), (error: unknown) => error instanceof SessionExpired && error.step === "download");
    assert.match(page.url(), /\/login\?redirect=%2Fadmin%2Fauditlog%2F$/);
    // Logging in again lands where the scraper can go on.
    await logIn(ctx);
    await reachAuditLog(ctx);
    await setRange(ctx, window);
    const csv = await downloadCsv(ctx, window);
    assert.ok(csv.bytes.length > 100);
    assert.equal(console.stats.logins, 2);
  } finally {
    await context.close();
  }
});

test("a console that ends every session at once: a few logins, then a clear error (no endless loop)", async () => {
  const console = await emulator({ sessionTtlMs: 0 });
  const result = await pull({ url: console.url, user: USER, password: PASSWORD, browser, range: dayRange("2026-10-01") });
  assert.ok(result.error instanceof SourceError, String(result.error));
  assert.equal(result.error.code, "E_KINTONE_SESSION");
  assert.match(result.error.message, /asked to log in again 4 times without a download in between/);
  assert.equal(console.stats.logins, 4, "the first login and three more");
});
