/**
 * The login page handler: opens `/login?saml=off` (administrators bypass SAML there), waits for
 * the form the page's script builds, types the login name and password and presses the login
 * button as a person would. A rejected login is not retryable: the same password would fail again
 * (and could lock the account).
 */
import { consoleUrl } from "./settings.ts";
import { expectElement, refuseErrorAnswer, step, StepFailure, type PageContext } from "./steps.ts";

export const LOGIN_SELECTORS = {
  username: 'input[name="username"]',
  password: 'input[name="password"]',
  button: ".login-button",
  error: ".login-error",
  errorCode: ".error-code",
};

/** Log in; resolves once the browser has left the login page with a session. */
export async function logIn(ctx: PageContext): Promise<void> {
  const { page } = ctx;
  await step(ctx, "open login", `the login form (${LOGIN_SELECTORS.username})`, async () => {
    refuseErrorAnswer(await page.goto(consoleUrl(ctx.base, "/login?saml=off"), { waitUntil: "domcontentloaded" }), `the login form (${LOGIN_SELECTORS.username})`);
    await expectElement(ctx, LOGIN_SELECTORS.username, "the login name field");
  });
  await step(ctx, "submit", "to leave the login page with a session", async () => {
    await (await expectElement(ctx, LOGIN_SELECTORS.username, "the login name field")).fill(ctx.user);
    await (await expectElement(ctx, LOGIN_SELECTORS.password, "the password field")).fill(ctx.password);
    const button = await expectElement(ctx, LOGIN_SELECTORS.button, "the login button");
    const left = page.waitForURL((url) => !url.pathname.endsWith("/login") && !url.pathname.endsWith("/api/auth/redirect.do"), { timeout: ctx.timeoutMs, waitUntil: "domcontentloaded" });
    const refused = page.locator(LOGIN_SELECTORS.error).waitFor({ state: "visible", timeout: ctx.timeoutMs });
    const badRequest = page.locator(LOGIN_SELECTORS.errorCode).waitFor({ state: "attached", timeout: ctx.timeoutMs });
    for (const p of [left, refused, badRequest]) p.catch(() => undefined);
    await button.click();
    const outcome = await Promise.race([left.then(() => "in" as const), refused.then(() => "refused" as const), badRequest.then(() => "bad" as const)]);
    if (outcome === "refused") {
      const said = ((await page.locator(LOGIN_SELECTORS.error).textContent().catch(() => "")) ?? "").trim();
      throw new StepFailure(
        "E_KINTONE_LOGIN",
        "to leave the login page with a session",
        `the console refused the login${said ? ` ("${said}")` : ""}; check KINTONE_ADMIN_ID and KINTONE_ADMIN_PW (not retried)`,
        false,
      );
    }
    if (outcome === "bad") {
      const code = ((await page.locator(LOGIN_SELECTORS.errorCode).textContent().catch(() => "")) ?? "").trim();
      throw new StepFailure("E_KINTONE_PAGE", "to leave the login page with a session", `the console answered with an error page ${code}`, true);
    }
    await page.waitForLoadState("domcontentloaded");
  });
}
