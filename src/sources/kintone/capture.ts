/**
 * Evidence of a failed step: a screenshot and the page's HTML under the run's artifacts folder.
 * The password field is emptied BEFORE anything is captured, and the saved files are checked
 * not to contain the password (a file that does is deleted rather than kept).
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { redactSecrets } from "../../core/secrets.ts";

export interface Capture {
  screenshot: string | null;
  html: string | null;
}

/** Empty every password field of the page (and of its frames). */
export async function clearPasswordFields(page: Page): Promise<void> {
  for (const frame of page.frames()) {
    await frame
      .evaluate(() => {
        for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('input[type="password"]'))) {
          input.value = "";
          input.removeAttribute("value");
        }
      })
      .catch(() => undefined); // a frame that is navigating has no document to clear
  }
}

function fileStamp(step: string): string {
  return `${new Date().toISOString().replace(/[:.]/g, "-")}-${step.replace(/[^a-z0-9]+/gi, "-")}`;
}

/** Save a screenshot and the HTML of `page` for `step`; never throws (capture is best effort). */
export async function capturePage(page: Page, artifactsDir: string, step: string, password: string): Promise<Capture> {
  const out: Capture = { screenshot: null, html: null };
  try {
    await mkdir(artifactsDir, { recursive: true });
  } catch {
    return out;
  }
  await clearPasswordFields(page);
  const stamp = fileStamp(step);
  const secret = Buffer.from(password, "utf8");
  try {
    const html = await page.content();
    let safe = redactSecrets(html);
    if (password.length > 0) safe = safe.split(password).join("***");
    const path = join(artifactsDir, `kintone-${stamp}.html`);
    await writeFile(path, safe, "utf8");
    out.html = path;
  } catch {
    // the page may be gone (closed, crashed); the error message still says what happened
  }
  try {
    const path = join(artifactsDir, `kintone-${stamp}.png`);
    await page.screenshot({ path, fullPage: true, timeout: 10_000 });
    if (password.length > 0 && (await readFile(path)).includes(secret)) await rm(path, { force: true });
    else out.screenshot = path;
  } catch {
    // as above
  }
  return out;
}
