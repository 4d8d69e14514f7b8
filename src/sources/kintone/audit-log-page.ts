/**
 * The audit log page handler: reaches the page from the landing page through the administration
 * menu (as a person would), and sets the date-time range of the filter. A page that sends the
 * browser back to `/login` raises SessionExpired, which the entry answers by logging in again.
 */
import type { Page } from "playwright-core";
import { basePath, consoleUrl } from "./settings.ts";
import { expectElement, onLoginPage, refuseErrorAnswer, SessionExpired, step, StepFailure, type PageContext, type StepName } from "./steps.ts";
import type { ConsoleWindow } from "./ranges.ts";

export const AUDIT_SELECTORS = {
  adminLink: "#header-admin-link",
  auditMenu: "#admin-menu-auditlog",
  filter: "#auditlog-filter",
  startDate: "#auditlog-start-date",
  startTime: "#auditlog-start-time",
  endDate: "#auditlog-end-date",
  endTime: "#auditlog-end-time",
  search: "#auditlog-search",
  message: "#auditlog-message",
  download: "#auditlog-download",
  errorCode: ".error-code",
  errorMessage: ".error-message",
};

/**
 * Wait until `selector` is visible, or the browser lands on the login page (SessionExpired),
 * or an error page appears (a StepFailure quoting it).
 */
export async function expectElementOrLogin(ctx: PageContext, stepName: StepName, selector: string, what: string) {
  const { page } = ctx;
  const login = page.waitForURL((url) => url.pathname.endsWith("/login"), { timeout: ctx.timeoutMs, waitUntil: "commit" });
  const errorPage = page.locator(AUDIT_SELECTORS.errorCode).waitFor({ state: "attached", timeout: ctx.timeoutMs });
  const element = expectElement(ctx, selector, what);
  for (const p of [login, errorPage, element]) p.catch(() => undefined);
  // Only the element's own failure may end the wait: the others' time-outs never settle the race.
  const never = new Promise<never>(() => undefined);
  const outcome = await Promise.race([
    element.then(() => "element" as const),
    login.then(() => "login" as const, () => never),
    errorPage.then(() => "error" as const, () => never),
  ]).catch(async (error: unknown) => {
    // The element timed out: prefer saying "session ended" when that is what happened.
    if (onLoginPage(page)) return "login" as const;
    throw error;
  });
  if (outcome === "login") throw new SessionExpired(stepName);
  if (outcome === "error") throw await errorPageFailure(page, `${what} (${selector})`);
  return element;
}

/** A StepFailure quoting the console's error page (message and code). */
export async function errorPageFailure(page: Page, expected: string): Promise<StepFailure> {
  const code = ((await page.locator(AUDIT_SELECTORS.errorCode).first().textContent().catch(() => "")) ?? "").trim();
  const message = ((await page.locator(AUDIT_SELECTORS.errorMessage).first().textContent().catch(() => "")) ?? "").trim();
  return new StepFailure("E_KINTONE_PAGE", expected, `the console answered with an error page: ${message} ${code}`.trim(), false);
}

/** Navigate from wherever the browser is to the audit log page (portal → administration → audit log). */
export async function reachAuditLog(ctx: PageContext): Promise<void> {
  const { page } = ctx;
  await step(ctx, "reach audit log", `the audit log filter (${AUDIT_SELECTORS.filter})`, async () => {
    if (onLoginPage(page)) throw new SessionExpired("reach audit log");
    if (await page.locator(AUDIT_SELECTORS.filter).isVisible().catch(() => false)) return;
    const base = basePath(ctx.base);
    const here = (): string => {
      try {
        const path = new URL(page.url()).pathname;
        return path.startsWith(base) ? path.slice(base.length) : path;
      } catch {
        return "";
      }
    };
    if (here() !== "/" && here() !== "/admin/") refuseErrorAnswer(await page.goto(consoleUrl(ctx.base, "/"), { waitUntil: "domcontentloaded" }), "the console's portal");
    if (here() !== "/admin/") {
      const admin = await expectElementOrLogin(ctx, "reach audit log", AUDIT_SELECTORS.adminLink, "the link to the administration pages");
      await Promise.all([page.waitForURL(/\/admin\/$/, { waitUntil: "domcontentloaded" }), admin.click()]);
    }
    const menu = await expectElementOrLogin(ctx, "reach audit log", AUDIT_SELECTORS.auditMenu, "the audit log entry of the administration menu");
    await Promise.all([page.waitForURL(/\/admin\/auditlog\//, { waitUntil: "domcontentloaded" }), menu.click()]);
    await expectElementOrLogin(ctx, "reach audit log", AUDIT_SELECTORS.filter, "the audit log filter");
  });
}

/** Set the filter to `window` (local dates and times, both ends included) and search. */
export async function setRange(ctx: PageContext, window: ConsoleWindow): Promise<void> {
  const { page } = ctx;
  await step(ctx, "set range", `the audit log to show ${window.label}`, async () => {
    const fields: [string, string, string][] = [
      [AUDIT_SELECTORS.startDate, window.startDate, "the start date field"],
      [AUDIT_SELECTORS.startTime, window.startTime, "the start time field"],
      [AUDIT_SELECTORS.endDate, window.endDate, "the end date field"],
      [AUDIT_SELECTORS.endTime, window.endTime, "the end time field"],
    ];
    for (const [selector, value, what] of fields) {
      await (await expectElementOrLogin(ctx, "set range", selector, what)).fill(value);
    }
    const search = await expectElementOrLogin(ctx, "set range", AUDIT_SELECTORS.search, "the search button");
    const navigated = page.waitForEvent("framenavigated", { predicate: (frame) => frame === page.mainFrame(), timeout: ctx.timeoutMs });
    navigated.catch(() => undefined);
    await search.click();
    await navigated;
    await page.waitForLoadState("domcontentloaded");
    await expectElementOrLogin(ctx, "set range", AUDIT_SELECTORS.filter, "the audit log filter");
    const message = page.locator(AUDIT_SELECTORS.message);
    if (await message.isVisible().catch(() => false)) {
      throw new StepFailure("E_KINTONE_RANGE", `the audit log to show ${window.label}`, `the console said: ${((await message.textContent()) ?? "").trim()}`, false);
    }
    // The page shows what it searched: make sure it is the range asked for.
    for (const [selector, value, what] of fields) {
      const shown = await page.locator(selector).first().inputValue();
      const normalised = shown.length === 5 && value.length === 8 ? `${shown}:00` : shown;
      if (normalised !== value) {
        throw new StepFailure("E_KINTONE_PAGE", `${what} (${selector}) to show ${value} after the search`, `it shows "${shown}"`, false);
      }
    }
  });
}
