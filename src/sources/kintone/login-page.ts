/**
 * The login page handler: opens `/login?saml=off` (administrators bypass SAML there), waits for
 * the form the page's script builds, types the login name and password and presses the login
 * button as a person would; when the console then asks for a two-factor verification code, types
 * the current code of KINTONE_TOTP_SECRET. A rejected login or code is not retryable: the same
 * password or secret would fail again (and could lock the account). Neither is a console that
 * refuses the client certificate or the source address (./refusals.ts).
 */
import type { Response } from "playwright-core";
import { consoleUrl } from "./settings.ts";
import { NO_ACCESS, TOTP_PERIOD_MS, totpCode, type ConsoleAccess } from "./access.ts";
import {
  addressRefused, certificateRefusalReason, certificateRefused, droppedConnection, proxyRefused, proxyRefusesCredentials, totpMissing, totpRefused,
} from "./refusals.ts";
import { expectElement, refuseErrorAnswer, step, StepFailure, type PageContext } from "./steps.ts";

export const LOGIN_SELECTORS = {
  username: 'input[name="username"]',
  password: 'input[name="password"]',
  button: ".login-button",
  /** The verification-code field of two-factor authentication. */
  code: 'input[autocomplete="one-time-code"], input[name="verificationCode"]',
  error: ".login-error",
  errorCode: ".error-code",
};

const EXPECTED_SESSION = "to leave the login page with a session";

/** Log in; resolves once the browser has left the login page with a session. */
export async function logIn(ctx: PageContext): Promise<void> {
  const { page } = ctx;
  await step(ctx, "open login", `the login form (${LOGIN_SELECTORS.username})`, async () => {
    refuseErrorAnswer(await openLoginPage(ctx), `the login form (${LOGIN_SELECTORS.username})`);
    await expectElement(ctx, LOGIN_SELECTORS.username, "the login name field");
  });
  await step(ctx, "submit", EXPECTED_SESSION, async () => {
    await (await expectElement(ctx, LOGIN_SELECTORS.username, "the login name field")).fill(ctx.user);
    await (await expectElement(ctx, LOGIN_SELECTORS.password, "the password field")).fill(ctx.password);
    const button = await expectElement(ctx, LOGIN_SELECTORS.button, "the login button");
    const outcome = await submitted(ctx, () => button.click());
    if (outcome === "refused") {
      const said = ((await page.locator(LOGIN_SELECTORS.error).textContent().catch(() => "")) ?? "").trim();
      throw new StepFailure("E_KINTONE_LOGIN", EXPECTED_SESSION, `the console refused the login${said ? ` ("${said}")` : ""}; check KINTONE_ADMIN_ID and KINTONE_ADMIN_PW (not retried)`, false);
    }
    if (outcome === "code") await enterCode(ctx);
    await page.waitForLoadState("domcontentloaded");
  });
}

/**
 * Open the login page. A connection the console drops is checked for a refused client
 * certificate, any other failure through a proxy for refused proxy credentials, and an HTTP 403
 * before any login can only be the IP address restriction.
 */
async function openLoginPage(ctx: PageContext): Promise<Response | null> {
  const access = ctx.access ?? NO_ACCESS;
  let answer: Response | null;
  try {
    answer = await ctx.page.goto(consoleUrl(ctx.base, "/login?saml=off"), { waitUntil: "domcontentloaded" });
  } catch (error) {
    const message = (error as Error).message ?? "";
    if (access.proxy && /net::ERR_/.test(message) && (await proxyRefusesCredentials(ctx.base, access, ctx.timeoutMs))) throw proxyRefused(ctx.base);
    if (droppedConnection(message)) await refuseCertificate(ctx, access, null);
    throw error;
  }
  const status = answer?.status() ?? 200;
  if (status === 403) throw addressRefused(ctx.base, status, access.proxy !== undefined);
  if (status === 407 && access.proxy) throw proxyRefused(ctx.base);
  // Playwright presents the certificate itself, and answers a refused handshake with a 503 of its own.
  if (status === 503 && access.clientCertificate && /client-certificate error/i.test(await answer!.text().catch(() => ""))) await refuseCertificate(ctx, access, "not accepted");
  return answer;
}

/** Throw the certificate refusal when our own handshake shows one (else `fallback`'s, when given). */
async function refuseCertificate(ctx: PageContext, access: ConsoleAccess, fallback: string | null): Promise<void> {
  const reason = (await certificateRefusalReason(ctx.base, access, ctx.timeoutMs)) ?? fallback;
  if (reason !== null) throw certificateRefused(ctx.base, reason, access.clientCertificate !== undefined);
}

type Outcome = "in" | "refused" | "bad" | "code";

/** Run `action` (a submit) and wait for what follows: a session, a refusal, an error page or, unless `afterCode`, the code field. */
async function submitted(ctx: PageContext, action: () => Promise<void>, afterCode = false): Promise<Outcome> {
  const { page } = ctx;
  const timeout = ctx.timeoutMs;
  const waits: Promise<Outcome>[] = [
    page.waitForURL((url) => !url.pathname.endsWith("/login") && !url.pathname.endsWith("/api/auth/redirect.do"), { timeout, waitUntil: "domcontentloaded" }).then(() => "in" as const),
    page.locator(LOGIN_SELECTORS.error).waitFor({ state: "visible", timeout }).then(() => "refused" as const),
    page.locator(LOGIN_SELECTORS.errorCode).waitFor({ state: "attached", timeout }).then(() => "bad" as const),
  ];
  if (!afterCode) waits.push(page.locator(LOGIN_SELECTORS.code).first().waitFor({ state: "visible", timeout }).then(() => "code" as const));
  for (const p of waits) p.catch(() => undefined);
  await action();
  const outcome = await Promise.race(waits);
  if (outcome === "bad") {
    const code = ((await page.locator(LOGIN_SELECTORS.errorCode).textContent().catch(() => "")) ?? "").trim();
    throw new StepFailure("E_KINTONE_PAGE", EXPECTED_SESSION, `the console answered with an error page ${code}`, true);
  }
  return outcome;
}

/**
 * Two-factor authentication: type the current code of KINTONE_TOTP_SECRET and submit it. A
 * login again within the period of the code last typed (the session ended) waits for the next
 * code, since a console accepts each code once.
 */
async function enterCode(ctx: PageContext): Promise<void> {
  const secret = ctx.access?.totpSecret;
  if (!secret) throw totpMissing(ctx.base);
  let now = Date.now();
  if (ctx.totpStepUsed !== undefined && Math.floor(now / TOTP_PERIOD_MS) <= ctx.totpStepUsed) {
    await ctx.page.waitForTimeout((ctx.totpStepUsed + 1) * TOTP_PERIOD_MS - now + 250);
    now = Date.now();
  }
  ctx.totpStepUsed = Math.floor(now / TOTP_PERIOD_MS);
  const code = totpCode(secret, now);
  const field = ctx.page.locator(LOGIN_SELECTORS.code).first();
  const outcome = await submitted(ctx, async () => {
    await field.fill(code);
    await field.press("Enter");
  }, true);
  if (outcome === "refused") throw totpRefused(ctx.base);
}
