/**
 * The kintone source: a real Chromium, driven by Playwright, logs in to a Kintone-style
 * (cybozu.com) admin console through its own form and downloads the audit log of the range as
 * CSV (split in halves while a download hits the row cap). The CSV is read by the same reader
 * `kansa import` uses, so scraped and imported entries are identical. Its cursor is the end of
 * the last range collected (ISO 8601): ranges are always collected whole (overlaps are harmless,
 * the store deduplicates), and the orchestrator may start a later run from it (a range it
 * re-reads). `kansa import` reads the console's CSV exports (./files.ts).
 */
import type { Browser } from "playwright-core";
import type { Config } from "../../core/config.ts";
import type { CollectContext, RawBatch, TimeRange } from "../../core/types.ts";
import type { ConsoleRow } from "./console-csv/read-console-csv.ts";
import type { Source, SourceDefinition } from "../contract.ts";
import { registerSecret } from "../../core/secrets.ts";
import { scrapeAuditLog } from "./scraper.ts";
import { accessSettings, chromiumExecutable, consoleBaseUrl, consoleTenant, kintoneSettings } from "./settings.ts";
import { consoleFiles } from "./files.ts";
import { normalizeConsoleRow } from "./normalize.ts";
import { classifyConsoleEvent } from "./classification.ts";
import { consoleSeverityOf, describeConsoleEvent } from "./severity.ts";

export { consoleBaseUrl, chromiumExecutable, consoleTenant } from "./settings.ts";
export { scrapeAuditLog, type ScrapeOptions } from "./scraper.ts";
export { CHROMIUM_ARGS, launchBrowser } from "./browser.ts";
export { normalizeConsoleRow, consoleRowId } from "./normalize.ts";
export { consoleFiles, importedConsoleTenant, DEFAULT_CONSOLE_TENANT } from "./files.ts";

/** The console serves about six weeks of log: a run never reaches back further to catch up. */
const CATCH_UP_DAYS = 42;

/** Knobs tests use; production takes the defaults. */
export interface KintoneSourceOptions {
  /** Extra attempts of a retryable step (default 2). */
  retries?: number;
  /** Rows per yielded batch (default 5,000). */
  batchSize?: number;
  /** Share a running browser (tests); default: each pull launches and closes its own. */
  browser?: Browser;
  /** Accept a console certificate no public CA signed (tests: the emulator's own CA). */
  ignoreHttpsErrors?: boolean;
}

/**
 * The kintone source, or null unless KINTONE_HOSTNAME, KINTONE_ADMIN_ID and KINTONE_ADMIN_PW are
 * all set. The tenant is KINTONE_TENANT, else the console's host.
 */
export function createKintoneSource(config: Config, options: KintoneSourceOptions = {}): Source | null {
  const { kintoneHostname, kintoneAdminId, kintoneAdminPw } = config;
  if (!kintoneHostname || !kintoneAdminId || !kintoneAdminPw) return null;
  const base = consoleBaseUrl(kintoneHostname);
  const tenant = consoleTenant(kintoneHostname, config.kintoneTenant);
  registerSecret(kintoneAdminPw);
  return {
    name: "kintone",
    tenant,
    resume: { kind: "range", catchUpDays: CATCH_UP_DAYS },
    collect(range: TimeRange, _cursor: string | null, context: CollectContext): AsyncIterable<RawBatch> {
      return scrapeAuditLog(range, {
        base,
        user: kintoneAdminId,
        password: kintoneAdminPw,
        zone: config.consoleTimezone,
        tenant,
        cap: config.kintoneDownloadCap,
        timeoutMs: config.browserTimeoutMs,
        executablePath: chromiumExecutable(config.chromiumPath),
        artifactsDir: context.artifactsDir,
        access: accessSettings(config),
        log: context.log,
        stats: context.stats,
        warnings: context.warnings,
        ...(context.signal ? { signal: context.signal } : {}),
        ...(options.retries !== undefined ? { retries: options.retries } : {}),
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        ...(options.browser !== undefined ? { browser: options.browser } : {}),
        ...(options.ignoreHttpsErrors ? { ignoreHttpsErrors: true } : {}),
      });
    },
  };
}

export const kintone: SourceDefinition = {
  name: "kintone",
  create: (config) => createKintoneSource(config),
  enabledBy: ["KINTONE_HOSTNAME", "KINTONE_ADMIN_ID", "KINTONE_ADMIN_PW"],
  instanceFields: {
    tenant: "KINTONE_TENANT",
    hostname: "KINTONE_HOSTNAME",
    adminId: "KINTONE_ADMIN_ID",
    password: "KINTONE_ADMIN_PW",
    totpSecret: "KINTONE_TOTP_SECRET",
    clientCert: "KINTONE_CLIENT_CERT",
    clientKey: "KINTONE_CLIENT_KEY",
    clientCertPassword: "KINTONE_CLIENT_CERT_PASSWORD",
    proxyUrl: "KINTONE_PROXY_URL",
    consoleTimezone: "CONSOLE_TIMEZONE",
    downloadCap: "KINTONE_DOWNLOAD_CAP",
  },
  normalize: ({ record }, batch, options) => normalizeConsoleRow(record as ConsoleRow, batch.tenant, batch.origin, options),
  files: [consoleFiles],
  classify: classifyConsoleEvent,
  severityOf: consoleSeverityOf,
  describe: describeConsoleEvent,
  // A logout (the console's English or Japanese): session upkeep.
  isSessionUpkeep: (event) => ["logout", "ログアウト"].includes(event.action.trim().toLowerCase()),
  settings: kintoneSettings,
  appIdKind: "number",
};
