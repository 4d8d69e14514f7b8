/**
 * The kintone source through the access controls of cybozu.com, reproduced by the emulated
 * console, with a real Chromium: two-factor authentication (a TOTP code after the password),
 * Secure Access (HTTPS demanding a client certificate of the console's CA, made here with
 * openssl) and IP address restriction (only 127.0.0.2 allowed; a real proxy bound to that
 * address). Each success collects a day; each refusal is one sentence naming the setting to fix,
 * is not retried, and shows no secret.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { ConfigError, SourceError } from "../../src/core/errors.ts";
import { clearSecrets } from "../../src/core/secrets.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { consoleBaseForAccess, NO_ACCESS, totpCode, type ConsoleAccess } from "../../src/sources/kintone/access.ts";
import { startConsoleEmulator, type ConsoleEmulator, type ConsoleEmulatorOptions } from "../../src/tools/console-emulator/index.ts";
import { generateConsoleCells } from "../../src/tools/console-emulator/load-data.ts";
import { makeTestCertificates, type TestCertificates } from "../helpers/certificates.ts";
import { startTestProxy, type TestProxy } from "../helpers/http-proxy.ts";
import { cellSet, dayRange, onDays, pull, removeTempDirs, savedFiles, startBrowser, tempDir, type PullOptions, type PullResult } from "./helpers.ts";

const USER = "kansa-audit@example.co.jp";
const PASSWORD = "Pa55-word:kintone!";
const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const OTHER_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";
const PROXY_USER = "fixie";
const PROXY_PASSWORD = "proxy-Secret-9000";
const DAY = "2026-10-02";
const DATA = generateConsoleCells({ from: "2026-10-01", to: "2026-10-03", perDay: 300, timezone: "Asia/Tokyo" });

let browser: Browser;
let certs: TestCertificates;
/** Consoles and proxies to close at the end. */
const running: { close(): Promise<void> }[] = [];
before(async () => {
  browser = await startBrowser();
  certs = makeTestCertificates(tempDir("kansa-certs-"));
});
after(async () => {
  await Promise.all(running.map((server) => server.close()));
  await browser.close();
  clearSecrets();
  removeTempDirs();
});

/** A console with this file's administrator and data, plus `options`. */
async function emulator(options: Partial<ConsoleEmulatorOptions> = {}): Promise<ConsoleEmulator> {
  return kept(await startConsoleEmulator({ user: USER, password: PASSWORD, rows: DATA, ...options }));
}

function kept<T extends { close(): Promise<void> }>(server: T): T {
  running.push(server);
  return server;
}

function secureAccess(): ConsoleEmulatorOptions["secureAccess"] {
  return { key: certs.serverKey, cert: certs.serverCert, clientCa: certs.caCert };
}

/** A proxy at 127.0.0.2 going out from 127.0.0.2, asking for PROXY_USER's credentials unless told not to. */
async function proxy(credentials = true): Promise<TestProxy> {
  return kept(await startTestProxy({ host: "127.0.0.2", outboundAddress: "127.0.0.2", ...(credentials ? { credentials: { username: PROXY_USER, password: PROXY_PASSWORD } } : {}) }));
}

function withCredentials(p: TestProxy, password = PROXY_PASSWORD): string {
  return `http://${PROXY_USER}:${encodeURIComponent(password)}@${p.host}:${p.port}`;
}

function collect(console: ConsoleEmulator, env: Record<string, string>, extra: Partial<PullOptions> = {}): Promise<PullResult> {
  return pull({ url: console.url, user: USER, password: PASSWORD, browser, range: dayRange(DAY), env, ignoreHttpsErrors: console.url.startsWith("https:"), timeoutMs: 8000, ...extra });
}

/** The day was collected, whole, with one login. */
function assertCollected(result: PullResult, console: ConsoleEmulator): void {
  assert.equal(result.error, null, String(result.error));
  assert.deepEqual(cellSet(result.rows.map((r) => r.cells)), cellSet(onDays(DATA, DAY)));
  assert.equal(console.stats.logins, 1);
  assert.equal(console.stats.downloads, 1);
}

/** A refusal: the typed error, permanent, one sentence naming `setting`, not retried, no secret anywhere. */
function assertRefusal(result: PullResult, code: string, setting: string, secrets: string[]): SourceError {
  const error = result.error;
  assert.ok(error instanceof SourceError, String(error));
  assert.equal(error.code, code);
  assert.equal(error.retryable, false);
  assert.ok(error.message.includes(setting), `names ${setting}: ${error.message}`);
  assert.match(error.message, /^kintone: [^\n]*\.$/, "one line ending in a full stop");
  assert.equal(error.message.replace(/\b(e\.g|i\.e)\./g, "").split(/\.\s/).length, 1, `one sentence: ${error.message}`);
  assert.equal(result.stats.retries ?? 0, 0, "not retried");
  assert.equal(result.stats.relogins ?? 0, 0, "not retried by logging in again");
  const files = savedFiles(result.artifactsDir).map((f) => f.bytes.toString("latin1"));
  const everything = [error.message, JSON.stringify(error.details), String(error.cause), ...result.logLines, ...result.warnings, ...files].join("\n");
  for (const secret of [PASSWORD, ...secrets]) assert.ok(!everything.includes(secret), "no secret in the error, log or saved files");
  return error;
}

test("two-factor authentication: the code of KINTONE_TOTP_SECRET is typed after the password and a day is collected", async () => {
  const console = await emulator({ totpSecret: TOTP_SECRET });
  // As an authenticator's set-up page shows it: lower case, in groups.
  const shown = TOTP_SECRET.toLowerCase().replace(/(.{4})/g, "$1 ").trim();
  const result = await collect(console, { KINTONE_TOTP_SECRET: shown });
  assertCollected(result, console);
  assert.equal(console.stats.failedCodes, 0);
  assert.ok(result.logLines.every((line) => !line.includes(TOTP_SECRET) && !line.includes(PASSWORD)));
});

test("two-factor authentication: a session that ends mid-pull is answered by logging in again with the next code (each code is accepted once)", async () => {
  const console = await emulator({ totpSecret: TOTP_SECRET, downloadCap: 200, switches: { expireSessionsAfterDownloads: 1 } });
  const result = await collect(console, { KINTONE_TOTP_SECRET: TOTP_SECRET }, { cap: 200 });
  assert.equal(result.error, null, String(result.error));
  assert.deepEqual(cellSet(result.rows.map((r) => r.cells)), cellSet(onDays(DATA, DAY)));
  assert.equal(result.stats.relogins, 1);
  assert.equal(console.stats.logins, 2);
  assert.equal(console.stats.failedCodes, 0, "the second login did not reuse the first code");
});

test("two-factor authentication, wrong secret: one sentence naming KINTONE_TOTP_SECRET, one code tried", async () => {
  const console = await emulator({ totpSecret: TOTP_SECRET });
  const result = await collect(console, { KINTONE_TOTP_SECRET: OTHER_SECRET }, { retries: 2 });
  const error = assertRefusal(result, "E_KINTONE_TOTP", "KINTONE_TOTP_SECRET", [OTHER_SECRET, TOTP_SECRET, totpCode(OTHER_SECRET)]);
  assert.match(error.message, /refused the two-factor verification code/);
  assert.equal(console.stats.failedCodes, 1, "one code tried, not retried");
  assert.equal(console.stats.logins, 0);
});

test("two-factor authentication without KINTONE_TOTP_SECRET: the error says to set it; no code is guessed", async () => {
  const console = await emulator({ totpSecret: TOTP_SECRET });
  const result = await collect(console, {});
  const error = assertRefusal(result, "E_KINTONE_TOTP", "KINTONE_TOTP_SECRET", [TOTP_SECRET]);
  assert.match(error.message, /asks for a two-factor verification code/);
  assert.equal(console.stats.failedCodes, 0);
  assert.equal(console.stats.failedLogins, 0);
});

test("KINTONE_TOTP_SECRET: base32 or an otpauth:// URI; anything else is a ConfigError that does not echo it", () => {
  const base = { KINTONE_HOSTNAME: "example.cybozu.com", KINTONE_ADMIN_ID: USER, KINTONE_ADMIN_PW: PASSWORD };
  assert.equal(loadConfig({ ...base, KINTONE_TOTP_SECRET: `otpauth://totp/cybozu.com:${USER}?secret=${TOTP_SECRET.toLowerCase()}&issuer=cybozu.com` }).kintoneTotpSecret, TOTP_SECRET);
  assert.equal(loadConfig({ ...base, KINTONE_TOTP_SECRET: `${TOTP_SECRET}====` }).kintoneTotpSecret, TOTP_SECRET);
  const bad = "not-base32-1890!secret";
  assert.throws(() => loadConfig({ ...base, KINTONE_TOTP_SECRET: bad }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /^KINTONE_TOTP_SECRET must be the base32 secret key/);
    assert.ok(!error.message.includes(bad));
    return true;
  });
  assert.throws(() => loadConfig({ ...base, KINTONE_PROXY_URL: "ftp://proxy.example:21" }), /KINTONE_PROXY_URL must be an http:\/\/, https:\/\/ or socks5:\/\/ URL/);
});

test("Secure Access: the client certificate (PKCS#12 and its password) is presented and a day is collected over HTTPS", async () => {
  const console = await emulator({ secureAccess: secureAccess() });
  assert.match(console.url, /^https:/);
  const result = await collect(console, { KINTONE_CLIENT_CERT: certs.clientPfxPath, KINTONE_CLIENT_CERT_PASSWORD: certs.pfxPassword });
  assertCollected(result, console);
  assert.equal(console.stats.refusedHandshakes, 0);
  assert.ok(result.logLines.every((line) => !line.includes(certs.pfxPassword)));
});

test("Secure Access with a PEM certificate (path) and its key (PEM text in the variable)", async () => {
  const console = await emulator({ secureAccess: secureAccess() });
  const key = readFileSync(certs.clientKeyPath, "utf8");
  const result = await collect(console, { KINTONE_CLIENT_CERT: certs.clientCertPath, KINTONE_CLIENT_KEY: key });
  assertCollected(result, console);
  assert.ok(result.logLines.every((line) => !line.includes(key.split("\n")[1]!)), "no line of the key in the log");
});

test("Secure Access without a certificate: one sentence naming KINTONE_CLIENT_CERT, not retried", async () => {
  const console = await emulator({ secureAccess: secureAccess() });
  const result = await collect(console, {}, { retries: 2 });
  const error = assertRefusal(result, "E_KINTONE_CERT", "KINTONE_CLIENT_CERT", []);
  assert.match(error.message, /demands a client certificate \(Secure Access\)/);
  assert.equal(console.stats.pages, 0);
  assert.ok(console.stats.refusedHandshakes >= 1);
});

test("Secure Access with another CA's certificate: refused, naming KINTONE_CLIENT_CERT and why", async () => {
  const console = await emulator({ secureAccess: secureAccess() });
  const result = await collect(console, { KINTONE_CLIENT_CERT: certs.strangerPfxPath, KINTONE_CLIENT_CERT_PASSWORD: certs.pfxPassword }, { retries: 2 });
  const error = assertRefusal(result, "E_KINTONE_CERT", "KINTONE_CLIENT_CERT", [certs.pfxPassword]);
  assert.match(error.message, /refused the client certificate in KINTONE_CLIENT_CERT \(the connection was closed once it was presented\)/);
  assert.equal(console.stats.pages, 0);
});

test("Secure Access with the wrong certificate password: refused before any request, naming KINTONE_CLIENT_CERT_PASSWORD", async () => {
  const console = await emulator({ secureAccess: secureAccess() });
  const wrong = "wrong-Pfx-pass-123";
  const result = await collect(console, { KINTONE_CLIENT_CERT: certs.clientPfxPath, KINTONE_CLIENT_CERT_PASSWORD: wrong });
  const error = assertRefusal(result, "E_KINTONE_CERT", "KINTONE_CLIENT_CERT_PASSWORD", [wrong, certs.pfxPassword]);
  assert.match(error.message, /could not open the client certificate/);
  assert.equal(console.stats.refusedHandshakes + console.stats.pages, 0, "nothing was sent");
});

test("Secure Access with a certificate file that is not there: refused, naming KINTONE_CLIENT_CERT", async () => {
  const console = await emulator({ secureAccess: secureAccess() });
  const result = await collect(console, { KINTONE_CLIENT_CERT: `${certs.dir}/missing.p12`, KINTONE_CLIENT_CERT_PASSWORD: certs.pfxPassword });
  const error = assertRefusal(result, "E_KINTONE_CERT", "KINTONE_CLIENT_CERT", [certs.pfxPassword]);
  assert.match(error.message, /could not read the file of KINTONE_CLIENT_CERT \(ENOENT\)/);
});

test("with a client certificate a cybozu.com host is reached at its Secure Access (.s.) host; other URLs as given", () => {
  const withCertificate: ConsoleAccess = { ...NO_ACCESS, clientCertificate: { pfx: Buffer.from("x") } };
  const at = (url: string, access: ConsoleAccess = withCertificate) => consoleBaseForAccess(new URL(url), access).toString();
  assert.equal(at("https://example.cybozu.com"), "https://example.s.cybozu.com/");
  assert.equal(at("https://example.s.cybozu.com"), "https://example.s.cybozu.com/");
  assert.equal(at("https://example.cybozu.com", NO_ACCESS), "https://example.cybozu.com/");
  assert.equal(at("https://127.0.0.1:8443/k"), "https://127.0.0.1:8443/k");
  assert.equal(at("https://example.kintone.com"), "https://example.kintone.com/");
});

test("IP address restriction: refused directly (one sentence naming KINTONE_PROXY_URL), collected through a proxy at the allowed address", async () => {
  const console = await emulator({ allowedAddresses: ["127.0.0.2"] });
  const direct = await collect(console, {}, { retries: 2 });
  const error = assertRefusal(direct, "E_KINTONE_ADDRESS", "KINTONE_PROXY_URL", []);
  assert.match(error.message, /does not allow access from this machine's address \(IP address restriction, HTTP 403\)/);
  assert.equal(console.stats.refusedAddresses, 1, "one request, not retried");

  const p = await proxy();
  const through = await collect(console, { KINTONE_PROXY_URL: withCredentials(p) });
  assertCollected(through, console);
  assert.ok(p.forwarded >= 3, `the proxy forwarded ${p.forwarded} requests`);
  assert.equal(console.stats.refusedAddresses, 1, "every request through the proxy came from its address");
  assert.ok(through.logLines.every((line) => !line.includes(PROXY_PASSWORD)));
});

test("IP address restriction that does not list the proxy's address: the error says the proxy's address is refused", async () => {
  const console = await emulator({ allowedAddresses: ["127.0.0.3"] });
  const p = await proxy(false);
  const result = await collect(console, { KINTONE_PROXY_URL: p.url });
  const error = assertRefusal(result, "E_KINTONE_ADDRESS", "KINTONE_PROXY_URL", []);
  assert.match(error.message, /does not allow access from the address of the proxy in KINTONE_PROXY_URL/);
  assert.ok(console.stats.refusedAddresses >= 1);
});

test("a proxy that refuses the credentials of KINTONE_PROXY_URL: one sentence, no password", async () => {
  const console = await emulator({ allowedAddresses: ["127.0.0.2"] });
  const p = await proxy();
  const wrong = "wrong-Proxy-pass-77";
  const result = await collect(console, { KINTONE_PROXY_URL: withCredentials(p, wrong) }, { retries: 2 });
  assertRefusal(result, "E_KINTONE_PROXY", "KINTONE_PROXY_URL", [wrong, PROXY_PASSWORD]);
  assert.equal(console.stats.pages + console.stats.refusedAddresses, 0, "nothing reached the console");
});

test("all three at once: Secure Access over a CONNECT proxy at the allowed address, with two-factor authentication", async () => {
  const console = await emulator({ secureAccess: secureAccess(), allowedAddresses: ["127.0.0.2"], totpSecret: TOTP_SECRET });
  const p = await proxy();
  const result = await collect(console, {
    KINTONE_TOTP_SECRET: TOTP_SECRET,
    // As a Heroku config var holds it: the PKCS#12 file in base64.
    KINTONE_CLIENT_CERT: `base64:${readFileSync(certs.clientPfxPath).toString("base64")}`,
    KINTONE_CLIENT_CERT_PASSWORD: certs.pfxPassword,
    KINTONE_PROXY_URL: withCredentials(p),
  });
  assertCollected(result, console);
  assert.ok(p.forwarded >= 1, "the TLS connection went through the proxy");
  assert.equal(console.stats.failedCodes, 0);
});
