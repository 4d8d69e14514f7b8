/**
 * Reaching a console protected by more than a password, as cybozu.com offers it
 * (jp.cybozu.help: "Two-Factor Authentication", "Secure Access", "IP Address Restrictions"):
 * - two-factor authentication: after the password the console asks for the 6-digit code of a
 *   TOTP authenticator; kansa computes it from the secret key (KINTONE_TOTP_SECRET);
 * - Secure Access: the console's `.s.` host completes TLS only with a client certificate it
 *   issued; the browser context presents it (Playwright's `clientCertificates`);
 * - IP address restriction: only listed source addresses may use the console; the browser
 *   goes out through a proxy whose address is listed (KINTONE_PROXY_URL, e.g. a static-IP add-on).
 * This module declares those settings' parsers and turns the settings into browser-context
 * options and codes. Nothing here logs, and no error it raises quotes a secret.
 */
import { readFile } from "node:fs/promises";
import type { BrowserContextOptions } from "playwright-core";
import { Secret, TOTP } from "otpauth";
import type { Setting } from "../../core/config.ts";
import { ConfigError } from "../../core/errors.ts";
import { registerSecret } from "../../core/secrets.ts";
import { AccessRefused } from "./refusals.ts";

/** The access settings as configured (paths and secrets, nothing read yet). */
export interface AccessSettings {
  totpSecret: string | undefined;
  clientCert: string | undefined;
  clientKey: string | undefined;
  clientCertPassword: string | undefined;
  proxyUrl: string | undefined;
}

/** A client certificate read from its files, in Playwright's terms (without the origin). */
export type ClientCertificate = { pfx: Buffer; passphrase?: string } | { cert: Buffer; key: Buffer; passphrase?: string };

/** What one pull uses: the TOTP secret, the certificate read, the proxy in Playwright's terms. */
export interface ConsoleAccess {
  totpSecret: string | undefined;
  clientCertificate: ClientCertificate | undefined;
  proxy: { server: string; username?: string; password?: string } | undefined;
}

function configFail(env: string, sentence: string): never {
  throw new ConfigError(`${env} ${sentence}`, { details: { variable: env } });
}

/**
 * A TOTP secret key setting (secret): base32 as authenticator set-up pages show it (spaces,
 * dashes, lower case and `=` padding are accepted), or the `otpauth://` URI of its QR code.
 */
export const totpSecret = (env: string, description: string, group: string): Setting<string | undefined> => ({
  env, description, group, secret: true, defaultText: "",
  parse: (value) => {
    if (value === undefined || value.trim() === "") return undefined;
    registerSecret(value.trim());
    let text = value.trim();
    if (/^otpauth:\/\//i.test(text)) {
      let fromUri: string | null = null;
      try {
        fromUri = new URL(text).searchParams.get("secret");
      } catch {
        // reported below
      }
      if (!fromUri) configFail(env, "is an otpauth:// URI without a secret parameter; set the secret key itself (base32).");
      text = fromUri;
    }
    const secret = text.replace(/[\s-]/g, "").replace(/=+$/, "").toUpperCase();
    if (!/^[A-Z2-7]{16,}$/.test(secret)) {
      configFail(env, "must be the base32 secret key of the administrator's authenticator (at least 16 letters A-Z and digits 2-7; spaces allowed), as shown when its two-factor authentication was set up.");
    }
    registerSecret(secret);
    return secret;
  },
});

/** An outbound proxy URL setting (secret: it may carry credentials): http, https or socks5. */
export const proxyUrl = (env: string, description: string, group: string): Setting<string | undefined> => ({
  env, description, group, secret: true, defaultText: "",
  parse: (value) => {
    if (value === undefined || value.trim() === "") return undefined;
    const text = value.trim();
    registerSecret(text);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return configFail(env, "must be a proxy URL such as http://user:password@proxy.example.com:8080.");
    }
    if (!["http:", "https:", "socks5:"].includes(url.protocol)) configFail(env, `must be an http://, https:// or socks5:// URL, got a ${url.protocol} URL.`);
    if (url.password) registerSecret(decodeURIComponent(url.password));
    return text;
  },
});

/** The proxy of `proxyUrl` in Playwright's terms: server without credentials, credentials apart. */
export function playwrightProxy(proxyUrl: string): NonNullable<ConsoleAccess["proxy"]> {
  const url = new URL(proxyUrl);
  const proxy: NonNullable<ConsoleAccess["proxy"]> = { server: `${url.protocol}//${url.host}` };
  if (url.username) proxy.username = decodeURIComponent(url.username);
  if (url.password) proxy.password = decodeURIComponent(url.password);
  return proxy;
}

const PEM = "-----BEGIN";
const BASE64 = "base64:";

/**
 * The bytes a certificate setting gives: its PEM text itself, `base64:` and the file's bytes in
 * base64 (a PKCS#12 file in a Heroku config var), or the path of the file. The path is not
 * quoted in errors (the setting is a secret, as it may hold the key itself).
 */
async function readSetting(env: string, value: string): Promise<Buffer> {
  if (value.trimStart().startsWith(PEM)) return Buffer.from(value.trim(), "utf8");
  if (value.startsWith(BASE64)) return Buffer.from(value.slice(BASE64.length).trim(), "base64");
  try {
    return await readFile(value);
  } catch (error) {
    throw new AccessRefused("E_KINTONE_CERT", `kintone: could not read the file of ${env} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}); set ${env} to the path of the file, its PEM text, or base64: and its bytes in base64.`);
  }
}

/**
 * Read the certificate files: a PKCS#12 file, or a PEM certificate whose key is in
 * KINTONE_CLIENT_KEY or in the same file.
 */
async function readClientCertificate(settings: AccessSettings): Promise<ClientCertificate | undefined> {
  if (!settings.clientCert) {
    if (settings.clientKey) throw new AccessRefused("E_KINTONE_CERT", "kintone: KINTONE_CLIENT_KEY is set without KINTONE_CLIENT_CERT; set KINTONE_CLIENT_CERT to the client certificate's path.");
    return undefined;
  }
  const passphrase = settings.clientCertPassword !== undefined ? { passphrase: settings.clientCertPassword } : {};
  const cert = await readSetting("KINTONE_CLIENT_CERT", settings.clientCert);
  if (!cert.includes(PEM)) return { pfx: cert, ...passphrase };
  const key = settings.clientKey ? await readSetting("KINTONE_CLIENT_KEY", settings.clientKey) : cert;
  if (!key.includes("PRIVATE KEY")) {
    throw new AccessRefused("E_KINTONE_CERT", "kintone: KINTONE_CLIENT_CERT is a PEM certificate without its private key; set KINTONE_CLIENT_KEY to the path of the key (or use the PKCS#12 file the console issued).");
  }
  return { cert, key, ...passphrase };
}

/** No access beyond the password. */
export const NO_ACCESS: ConsoleAccess = { totpSecret: undefined, clientCertificate: undefined, proxy: undefined };

/** Read what the settings point to (the certificate files). */
export async function loadConsoleAccess(settings: AccessSettings | undefined): Promise<ConsoleAccess> {
  if (!settings) return NO_ACCESS;
  return {
    totpSecret: settings.totpSecret,
    clientCertificate: await readClientCertificate(settings),
    proxy: settings.proxyUrl ? playwrightProxy(settings.proxyUrl) : undefined,
  };
}

/**
 * Where the console is reached: with a client certificate, a cybozu.com host becomes its Secure
 * Access host (`example.cybozu.com` → `example.s.cybozu.com`, jp.cybozu.help "Secure Access":
 * only the `.s.` host asks for the certificate); any other URL is used as given.
 */
export function consoleBaseForAccess(base: URL, access: ConsoleAccess): URL {
  const match = /^([a-z0-9-]+)\.cybozu\.com$/i.exec(base.hostname);
  if (!access.clientCertificate || !match) return base;
  const secure = new URL(base.toString());
  secure.hostname = `${match[1]}.s.cybozu.com`;
  return secure;
}

/** The browser-context options for `access` on the console at `base`. */
export function contextAccessOptions(access: ConsoleAccess, base: URL): Pick<BrowserContextOptions, "proxy" | "clientCertificates"> {
  return {
    ...(access.proxy ? { proxy: access.proxy } : {}),
    ...(access.clientCertificate ? { clientCertificates: [{ origin: base.origin, ...access.clientCertificate }] } : {}),
  };
}

/** The TOTP period of authenticator apps, in milliseconds. */
export const TOTP_PERIOD_MS = 30_000;

/** The 6-digit code of a base32 TOTP secret at `timestamp` (SHA-1, 30 s: what authenticator apps use). */
export function totpCode(secret: string, timestamp = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_MS / 1000 }).generate({ timestamp });
}
