/**
 * The thin entry of a console pull: start Chromium, log in, reach the audit log, set the filter
 * to the range, download the CSV and read it with the same reader `kansa import` uses. A
 * download that hits the row cap is split in halves (on whole seconds) and each half fetched
 * again, oldest first, until no part is capped. Retries live here and only here, through core's
 * withRetries with the console's classification (consoleRetryDecision): a retryable step
 * (timeout, interrupted download, an HTTP 5xx page) is tried again a few times; a session that
 * ended is answered by logging in again; a refused login is never retried, nor is a refused
 * two-factor code, client certificate or source address (./refusals.ts). The browser context
 * presents the client certificate and goes through the proxy of the access settings
 * (./access.ts). The browser is always closed.
 */
import type { Logger } from "pino";
import type { Browser, BrowserContext } from "playwright-core";
import type { RawBatch, Rejection, TimeRange } from "../../core/types.ts";
import type { ConsoleRow } from "./console-csv/read-console-csv.ts";
import { SourceError } from "../../core/errors.ts";
import { redactSecrets } from "../../core/secrets.ts";
import { withRetries, type RetryDecision } from "../../core/retry.ts";
import { readConsoleCsv, rowRecords } from "./console-csv/index.ts";
import { reachAuditLog, setRange } from "./audit-log-page.ts";
import { launchBrowser } from "./browser.ts";
import { consoleBaseForAccess, contextAccessOptions, loadConsoleAccess, type AccessSettings, type ConsoleAccess } from "./access.ts";
import { certificateUnreadable } from "./refusals.ts";
import { downloadCsv, type DownloadedCsv } from "./download-page.ts";
import { logIn } from "./login-page.ts";
import { consoleWindow, splitWindow, type ConsoleWindow } from "./ranges.ts";
import { SessionExpired, step, type PageContext } from "./steps.ts";

export interface ScrapeOptions {
  /** The console's base URL. */
  base: URL;
  user: string;
  password: string;
  /** The console's time zone (CONSOLE_TIMEZONE): the filter and the CSV are in its local time. */
  zone: string;
  tenant: string;
  /** Rows at which a download stops (KINTONE_DOWNLOAD_CAP). */
  cap: number;
  timeoutMs: number;
  /** Chromium executable; undefined: Playwright's own browser. */
  executablePath: string | undefined;
  artifactsDir: string;
  log: Logger;
  stats: Record<string, number>;
  warnings: string[];
  /** Stops the pull (closing the page at once); a caller that passes one handles Ctrl-C itself. */
  signal?: AbortSignal;
  /** Extra attempts for a retryable step (default 2). */
  retries?: number;
  /** Logins again in a row, with no download between them, before giving up on a console that keeps ending the session (default 3). */
  maxRelogins?: number;
  /** Rows per yielded batch (default 5,000). */
  batchSize?: number;
  /** A running browser to use (its own context is opened and closed here; the browser is left running). Default: launch one and close it. */
  browser?: Browser;
  /** Two-factor secret, client certificate and proxy (default: none). */
  access?: AccessSettings;
  /** Accept a console certificate no public CA signed (tests: the emulator's own CA). Default false. */
  ignoreHttpsErrors?: boolean;
}

function count(stats: Record<string, number>, key: string, by = 1): void {
  stats[key] = (stats[key] ?? 0) + by;
}

/**
 * The console's classification of a failed step: a session that ended is answered by logging in
 * again, outside the retry count but at most `maxRelogins` times in a row (`relogin` is this
 * one's number); a retryable SourceError (time-out, network, HTTP 5xx page) is tried again at
 * once; anything else (a refused login, a changed page) fails now.
 */
function consoleRetryDecision(error: unknown, relogin: number, maxRelogins: number, base: URL): RetryDecision {
  if (error instanceof SessionExpired) {
    if (relogin <= maxRelogins) return { action: "retry after", waitMs: 0, counted: false };
    return {
      action: "fail now",
      error: new SourceError("E_KINTONE_SESSION", `kintone: step "${error.step}" failed at ${base.origin}: expected the session to last; the console asked to log in again ${relogin} times without a download in between.`, {
        details: { source: "kintone", step: error.step },
      }),
    };
  }
  return error instanceof SourceError && error.retryable ? { action: "retry with backoff" } : { action: "fail now" };
}

/** A browser context for the console: downloads on, the access's certificate and proxy. A certificate that cannot be opened is refused here. */
async function openContext(browser: Browser, access: ConsoleAccess, base: URL, options: ScrapeOptions): Promise<BrowserContext> {
  try {
    return await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      ...(options.ignoreHttpsErrors ? { ignoreHTTPSErrors: true } : {}),
      ...contextAccessOptions(access, base),
    });
  } catch (error) {
    const message = (error as Error).message ?? "";
    const problem = /client certificate: (.*)/i.exec(message.split("\n")[0] ?? "");
    if (access.clientCertificate && problem) throw certificateUnreadable(redactSecrets(problem[1]!.trim()));
    throw error;
  }
}

/** Read the downloaded bytes into rows (step "parse"). */
async function parse(ctx: PageContext, csv: DownloadedCsv, window: ConsoleWindow): Promise<{ rows: ConsoleRow[]; rejections: Rejection[]; origin: string }> {
  const origin = `${csv.url} [${window.label}]`;
  return step(ctx, "parse", `a console audit-log CSV for ${window.label}`, async () => {
    const rows: ConsoleRow[] = [];
    const rejections: Rejection[] = [];
    for await (const batch of readConsoleCsv(csv.bytes, { origin, batchSize: 10_000 })) {
      for (const row of batch.rows) rows.push(row);
      rejections.push(...batch.rejections);
    }
    return { rows, rejections, origin };
  });
}

/** Batches of console rows for `range` (see the module comment). Each part's last batch carries the cursor: the part's end. */
export async function* scrapeAuditLog(range: TimeRange, options: ScrapeOptions): AsyncGenerator<RawBatch> {
  const retries = options.retries ?? 2;
  const maxRelogins = options.maxRelogins ?? 3;
  const batchSize = options.batchSize ?? 5000;
  const { log, stats } = options;
  const whole = consoleWindow(range.from, range.to, options.zone);
  if (!whole) return;
  // The whole range first: most ranges fit in one download; a capped one is halved until each part fits.
  const queue: ConsoleWindow[] = [whole];

  const started = Date.now();
  const ownBrowser = options.browser === undefined;
  // A caller that can stop the pull (`signal`) handles Ctrl-C itself: Playwright must not exit the process.
  const browser = options.browser ?? (await launchBrowser(options.executablePath, options.timeoutMs, { handleSIGINT: options.signal === undefined }));
  if (ownBrowser) count(stats, "browserStartMs", Date.now() - started);
  let context: BrowserContext | undefined;
  // Stopping (Ctrl-C) closes the page at once, so that a step under way ends now rather than
  // when its download does; the step's error then gives way to the abort.
  const stopNow = () => void context?.close().catch(() => undefined);
  options.signal?.addEventListener("abort", stopNow, { once: true });
  try {
    options.signal?.throwIfAborted();
    const access = await loadConsoleAccess(options.access);
    const base = consoleBaseForAccess(options.base, access);
    context = await openContext(browser, access, base, options);
    const page = await context.newPage();
    page.setDefaultTimeout(options.timeoutMs);
    page.setDefaultNavigationTimeout(options.timeoutMs);
    const ctx: PageContext = {
      page,
      base,
      user: options.user,
      password: options.password,
      timeoutMs: options.timeoutMs,
      artifactsDir: options.artifactsDir,
      access,
    };
    let loggedIn = false;
    let onAuditLog = false;

    while (queue.length > 0) {
      options.signal?.throwIfAborted();
      const window = queue[0]!;
      // Retries and logins are counted afresh for each download (only a console that never lets us on gives up).
      let relogins = 0;
      const csv = await withRetries(
        async () => {
          if (!loggedIn) {
            await logIn(ctx);
            loggedIn = true;
            onAuditLog = false;
            count(stats, "logins");
          }
          if (!onAuditLog) {
            await reachAuditLog(ctx);
            onAuditLog = true;
          }
          await setRange(ctx, window);
          return downloadCsv(ctx, window);
        },
        {
          retries,
          classify: (error) => consoleRetryDecision(error, relogins + 1, maxRelogins, ctx.base),
          onRetry: ({ error, retry }) => {
            if (error instanceof SessionExpired) {
              relogins++;
              log.warn({ step: error.step }, "the console session ended; logging in again");
              count(stats, "relogins");
              loggedIn = false;
            } else {
              count(stats, "retries");
              log.warn({ err: (error as Error).message, attempt: retry }, "retrying a console step");
              onAuditLog = false;
            }
          },
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      count(stats, "downloads");
      const { rows, rejections, origin } = await parse(ctx, csv, window);
      const records = rows.length + rejections.length;
      if (records >= options.cap) {
        const halves = splitWindow(window, options.zone);
        if (!halves) {
          throw new SourceError(
            "E_KINTONE_CAPPED",
            `kintone: step "download" failed at ${csv.url}: expected fewer than ${options.cap} rows in one second (${window.label}); the download stopped at the cap and a second cannot be split.`,
            { details: { source: "kintone", step: "download", url: csv.url } },
          );
        }
        log.info({ range: window.label, rows: records, cap: options.cap }, "download hit the row cap; splitting the range");
        count(stats, "splits");
        queue.splice(0, 1, ...halves);
        continue;
      }
      queue.shift();
      count(stats, "rows", rows.length);
      if (rejections.length > 0) {
        count(stats, "rejectedRows", rejections.length);
        for (const r of rejections.slice(0, 5)) options.warnings.push(`kintone: ${r.origin} ${r.locator}: ${r.reason}`);
      }
      log.debug({ range: window.label, rows: rows.length }, "downloaded");
      const cursor = window.to.toISOString();
      if (rows.length === 0) {
        yield { source: "kintone", records: [], origin, tenant: options.tenant, cursor };
        continue;
      }
      for (let i = 0; i < rows.length; i += batchSize) {
        const last = i + batchSize >= rows.length;
        yield { source: "kintone", records: rowRecords(rows.slice(i, i + batchSize)), origin, tenant: options.tenant, ...(last ? { cursor } : {}) };
      }
    }
  } finally {
    options.signal?.removeEventListener("abort", stopNow);
    if (ownBrowser) await browser.close().catch(() => undefined);
    else await context?.close().catch(() => undefined);
  }
}
