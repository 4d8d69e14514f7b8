/**
 * Starting the headless Chromium that drives the console. Playwright is loaded here, when a
 * browser is started, not with the sources: importing it costs about 85 MB of resident memory
 * that a run without the console (or an import, a report) would carry for nothing.
 */
import type { Browser } from "playwright-core";
import { SourceError } from "../../core/errors.ts";

/** The flags DESIGN.md lists: no sandbox (containers), no GPU, no background traffic, no QUIC. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Launch headless Chromium (`executablePath` undefined: Playwright's own browser). By default
 * Playwright answers Ctrl-C itself: it closes every browser and exits the process (130). A
 * caller that handles Ctrl-C (a backfill stops after the batch under way, closes the browser and
 * says how to resume) passes `handleSIGINT: false`.
 */
export async function launchBrowser(executablePath: string | undefined, timeoutMs: number, options: { handleSIGINT?: boolean } = {}): Promise<Browser> {
  try {
    const { chromium } = await import("playwright-core");
    return await chromium.launch({
      ...(executablePath ? { executablePath } : {}),
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: Math.max(timeoutMs, 30_000),
      handleSIGINT: options.handleSIGINT ?? true,
    });
  } catch (error) {
    const where = executablePath ?? "Playwright's own browser";
    throw new SourceError("E_KINTONE_BROWSER", `kintone: step "start browser" failed: could not start Chromium (${where}); set CHROMIUM_PATH to a Chromium or Chrome executable. ${(error as Error).message.split("\n")[0]}`, {
      cause: error,
      details: { source: "kintone", step: "start browser", executablePath: where },
    });
  }
}
