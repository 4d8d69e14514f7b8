/**
 * Named steps of a console pull and the errors they raise. Every failure says which step, on
 * which URL (credentials and query stripped), and what was expected, and carries the paths of
 * the screenshot and HTML saved for it.
 */
import type { Page, Response } from "playwright-core";
import { SourceError } from "../../core/errors.ts";
import { redactSecrets } from "../../core/secrets.ts";
import { capturePage } from "./capture.ts";
import type { ConsoleAccess } from "./access.ts";

export type StepName = "open login" | "submit" | "reach audit log" | "set range" | "download" | "parse";

/** What the handlers of one pull share. */
export interface PageContext {
  page: Page;
  /** The console's base URL (no trailing slash). */
  base: URL;
  user: string;
  password: string;
  timeoutMs: number;
  artifactsDir: string;
  /** The two-factor secret, client certificate and proxy of this pull (./access.ts); undefined: none. */
  access?: ConsoleAccess;
  /** The TOTP time step whose code this pull last typed: a console refuses a code used once, so a second login waits for the next. */
  totpStepUsed?: number;
}

/** A failure a handler recognised, before it becomes a SourceError with evidence. */
export class StepFailure extends Error {
  constructor(
    readonly code: string,
    /** What the step expected to see, e.g. 'the search button (#auditlog-search)'. */
    readonly expected: string,
    /** What happened instead. */
    readonly problem: string,
    readonly retryable: boolean,
  ) {
    super(problem);
  }
}

/**
 * Fail at once when a navigation's answer is an HTTP error, saying its status: a console that
 * answers 500 would otherwise be waited on until the expected element times out, and be blamed
 * on a changed page. 5xx, 408 and 429 are worth a retry; other statuses are not.
 */
export function refuseErrorAnswer(answer: Response | null, expected: string): void {
  if (!answer || answer.status() < 400) return;
  const status = answer.status();
  const retryable = status >= 500 || status === 408 || status === 429;
  throw new StepFailure("E_KINTONE_PAGE", expected, `the console answered HTTP ${status}${answer.statusText() ? ` ${answer.statusText()}` : ""}`, retryable);
}

/** The console sent the browser back to its login page: the session ended. Handled by logging in again. */
export class SessionExpired extends Error {
  constructor(readonly step: StepName) {
    super(`the console asked to log in again during step "${step}"`);
  }
}

/** `url` without credentials, query or fragment. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    u.hash = "";
    return u.toString();
  } catch {
    return redactSecrets(url.split("?")[0] ?? "");
  }
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").trim();
}

/**
 * Run one named step. A StepFailure, a Playwright timeout or any other error becomes a
 * SourceError naming the step, the URL and what was expected, with a screenshot and the HTML
 * saved (password fields emptied first). SessionExpired passes through untouched.
 */
export async function step<T>(ctx: PageContext, name: StepName, expected: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SessionExpired || error instanceof SourceError) throw error;
    const url = safeUrl(ctx.page.url());
    let code = "E_KINTONE_PAGE";
    let wanted = expected;
    let problem: string;
    let retryable = false;
    if (error instanceof StepFailure) {
      ({ code, retryable, problem } = error);
      wanted = error.expected;
    } else if (isTimeout(error)) {
      code = "E_KINTONE_TIMEOUT";
      problem = `nothing happened within ${ctx.timeoutMs} ms (${firstLine(error.message)})`;
      retryable = true;
    } else if (name === "parse") {
      code = "E_KINTONE_PARSE";
      problem = firstLine((error as Error)?.message ?? String(error));
    } else {
      problem = firstLine((error as Error)?.message ?? String(error));
      retryable = /net::|Target page, context or browser has been closed|Navigation failed/i.test(problem);
      if (retryable) code = "E_KINTONE_NETWORK";
    }
    problem = redactSecrets(ctx.password ? problem.split(ctx.password).join("***") : problem);
    const evidence = await capturePage(ctx.page, ctx.artifactsDir, name, ctx.password);
    const saved = [evidence.screenshot, evidence.html].filter((p): p is string => p !== null);
    const message = `kintone: step "${name}" failed at ${url}: expected ${wanted}; ${problem}.${saved.length ? ` Saved: ${saved.join(", ")}.` : ""}`;
    throw new SourceError(code, message, {
      cause: new Error(problem),
      retryable,
      details: { source: "kintone", step: name, url, expected: wanted, screenshot: evidence.screenshot, html: evidence.html },
    });
  }
}

/**
 * Playwright's TimeoutError, by its name: Playwright itself is loaded only when a browser starts
 * (browser.ts), so its error classes are not imported here.
 */
function isTimeout(error: unknown): error is Error {
  return error instanceof Error && error.name === "TimeoutError";
}

/** Wait for `selector` (described for people as `what`) and return its locator, or fail the step naming it. */
export async function expectElement(ctx: PageContext, selector: string, what: string) {
  const locator = ctx.page.locator(selector).first();
  try {
    await locator.waitFor({ state: "visible", timeout: ctx.timeoutMs });
  } catch (error) {
    if (isTimeout(error)) {
      // A page still loading is slow, not changed: that is a time-out, and worth another try.
      const state = await ctx.page.evaluate(() => document.readyState).catch(() => "loading");
      if (state !== "complete") {
        throw new StepFailure("E_KINTONE_TIMEOUT", `${what} (${selector})`, `the page did not finish loading within ${ctx.timeoutMs} ms`, true);
      }
      throw new StepFailure("E_KINTONE_PAGE", `${what} (${selector})`, `it did not appear within ${ctx.timeoutMs} ms; the page may have changed`, false);
    }
    throw error;
  }
  return locator;
}

/** True when the browser is on the console's login page. */
export function onLoginPage(page: Page): boolean {
  try {
    return new URL(page.url()).pathname.endsWith("/login");
  } catch {
    return false;
  }
}
