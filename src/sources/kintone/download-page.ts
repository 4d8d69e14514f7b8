/**
 * The download handler: presses the CSV export button of the audit log page and waits for the
 * browser's download (Playwright's download event). A page instead of a file means the session
 * ended (the login page: SessionExpired) or the console refused (its error page, quoted). An
 * interrupted download is retryable.
 */
import { readFile } from "node:fs/promises";
import type { Download } from "playwright-core";
import { AUDIT_SELECTORS, errorPageFailure, expectElementOrLogin } from "./audit-log-page.ts";
import type { ConsoleWindow } from "./ranges.ts";
import { onLoginPage, SessionExpired, step, StepFailure, type PageContext } from "./steps.ts";

export interface DownloadedCsv {
  bytes: Buffer;
  /** The download's URL without query (for origins and messages). */
  url: string;
  suggestedFilename: string;
}

/** Download the CSV of the range the page shows. */
export async function downloadCsv(ctx: PageContext, window: ConsoleWindow): Promise<DownloadedCsv> {
  const { page } = ctx;
  const expected = `a CSV download of ${window.label} from the export button (${AUDIT_SELECTORS.download})`;
  return step(ctx, "download", expected, async () => {
    const button = await expectElementOrLogin(ctx, "download", AUDIT_SELECTORS.download, "the CSV export button");
    const download = page.waitForEvent("download", { timeout: ctx.timeoutMs });
    const navigated = page.waitForEvent("framenavigated", { predicate: (frame) => frame === page.mainFrame(), timeout: ctx.timeoutMs });
    for (const p of [download, navigated]) p.catch(() => undefined);
    await button.click();
    const outcome = await Promise.race([download.then((d) => ({ download: d })), navigated.then(() => ({ download: null }))]);
    if (!outcome.download) {
      // A page came back instead of a file: the login page (by script) or an error page.
      await page.waitForLoadState("domcontentloaded").catch(() => undefined);
      if (onLoginPage(page)) throw new SessionExpired("download");
      const login = page.waitForURL((url) => url.pathname.endsWith("/login"), { timeout: ctx.timeoutMs, waitUntil: "commit" });
      const errorPage = page.locator(AUDIT_SELECTORS.errorCode).waitFor({ state: "attached", timeout: ctx.timeoutMs });
      for (const p of [login, errorPage]) p.catch(() => undefined);
      const what = await Promise.race([login.then(() => "login" as const), errorPage.then(() => "error" as const)]);
      if (what === "login") throw new SessionExpired("download");
      throw await errorPageFailure(page, expected);
    }
    return await finish(ctx, outcome.download);
  });
}

async function finish(ctx: PageContext, download: Download): Promise<DownloadedCsv> {
  // path() waits for the transfer to end; a stalled transfer must not hang the run.
  const budget = Math.max(ctx.timeoutMs * 4, 60_000);
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailure("E_KINTONE_DOWNLOAD", "the download to finish", `it did not finish within ${budget} ms`, true)), budget);
  });
  try {
    const failure = await Promise.race([download.failure(), stalled]);
    if (failure) throw new StepFailure("E_KINTONE_DOWNLOAD", "a complete CSV file", `the download failed (${failure})`, true);
    const path = await Promise.race([download.path(), stalled]);
    const bytes = await readFile(path);
    const url = download.url().split("?")[0] ?? "";
    const suggestedFilename = download.suggestedFilename();
    await download.delete().catch(() => undefined);
    return { bytes, url, suggestedFilename };
  } catch (error) {
    if (!(error instanceof StepFailure)) await download.cancel().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
