/**
 * The kintone source's settings (where the console is, who logs in, which browser drives it, the
 * zone of its CSV times, its classification rule) and what is derived from them.
 */
import { existsSync } from "node:fs";
import { num, optional, regex, zone, type SettingValues } from "../../core/config.ts";
import { ConfigError } from "../../core/errors.ts";
import { severityOverrides } from "../severity-overrides.ts";
import { proxyUrl, totpSecret, type AccessSettings } from "./access.ts";

export const kintoneSettings = {
  consoleTimezone: zone("CONSOLE_TIMEZONE", "REPORT_TIMEZONE", "UTC", "IANA time zone in which the console's CSV times (which carry no zone) are read.", "Time"),
  exportActionPattern: regex("EXPORT_ACTION_PATTERN", "export|書き出", "Regular expression (case-insensitive) for console actions that are data exports.", "Detection"),
  consoleSeverity: severityOverrides("CONSOLE_SEVERITY", "Changes to the console severity catalogue (README, \"Severity catalogue\"): comma-separated key=severity items, a key being an entry (security, administrators, permissions, users, bulk-delete, file-download, export, notice) or a word of a module or action (ユーザー), a severity high, medium, low or none (removes the entry).", "Detection"),
  kintoneHostname: optional("KINTONE_HOSTNAME", "Console host (example.cybozu.com) or a full URL (used as given). Set with the admin id and password to enable the kintone source.", "Console"),
  kintoneAdminId: optional("KINTONE_ADMIN_ID", "Login name of an administrator of the console.", "Console"),
  kintoneAdminPw: optional("KINTONE_ADMIN_PW", "Password of that administrator.", "Console", true),
  kintoneTenant: optional("KINTONE_TENANT", "Tenant name stored with console events. Default: the host of KINTONE_HOSTNAME.", "Console"),
  chromiumPath: optional("CHROMIUM_PATH", "Chromium executable. Default: /usr/bin/chromium when present, else Playwright's own browser.", "Console"),
  browserTimeoutMs: num("BROWSER_TIMEOUT_MS", 30000, "Time allowed for each browser step, in milliseconds.", "Console", { min: 100, integer: true }),
  kintoneTotpSecret: totpSecret("KINTONE_TOTP_SECRET", "Two-factor authentication: the secret key (base32, or the otpauth:// URI of the QR code) of the administrator's authenticator; kansa types its current 6-digit code after the password. Unset: the console must not ask for a code.", "Console"),
  kintoneClientCert: optional("KINTONE_CLIENT_CERT", "Secure Access: the client certificate the console issued to the administrator, a PKCS#12 file (.pfx/.p12) or a PEM certificate (key in KINTONE_CLIENT_KEY or the same file): its path, its PEM text, or base64: followed by the file in base64. With it, a cybozu.com host is reached at its Secure Access host (example.s.cybozu.com).", "Console", true),
  kintoneClientKey: optional("KINTONE_CLIENT_KEY", "Secure Access: the PEM private key of a PEM KINTONE_CLIENT_CERT (path or PEM text).", "Console", true),
  kintoneClientCertPassword: optional("KINTONE_CLIENT_CERT_PASSWORD", "Password of the PKCS#12 file in KINTONE_CLIENT_CERT (or of an encrypted KINTONE_CLIENT_KEY).", "Console", true),
  kintoneProxyUrl: proxyUrl("KINTONE_PROXY_URL", "IP address restriction: outbound proxy through which the browser reaches the console (http://user:password@host:port, https:// or socks5://), e.g. a static-IP add-on's URL whose address the console allows. Unset: direct.", "Console"),
  kintoneDownloadCap: num("KINTONE_DOWNLOAD_CAP", 100000, "Rows at which the console's CSV download stops (100,000 on cybozu.com): a download with this many rows is split in halves and fetched again.", "Console", { min: 2, integer: true }),
};

export type KintoneSettings = SettingValues<typeof kintoneSettings>;

declare module "../../core/config.ts" {
  /** The kintone source's settings are part of `Config`. */
  interface SourceSettings extends KintoneSettings {}
}

/** `KINTONE_HOSTNAME` as a base URL without a trailing slash: a bare host means `https://HOST`. */
export function consoleBaseUrl(hostname: string): URL {
  const text = hostname.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`KINTONE_HOSTNAME must be a host such as example.cybozu.com or a URL, got "${hostname}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`KINTONE_HOSTNAME must be an http(s) URL or a bare host, got a ${url.protocol} URL.`);
  }
  if (url.username || url.password) throw new ConfigError("KINTONE_HOSTNAME must not carry credentials; set KINTONE_ADMIN_ID and KINTONE_ADMIN_PW.");
  url.search = "";
  url.hash = "";
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/** The URL of `path` on the console (`path` starts with "/"). */
export function consoleUrl(base: URL, path: string): string {
  return `${base.origin}${basePath(base)}${path}`;
}

/** The base URL's path without a trailing slash ("" for a console at the root). */
export function basePath(base: URL): string {
  return base.pathname.replace(/\/+$/, "");
}

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/**
 * The Chromium executable: `CHROMIUM_PATH` when set, else the system Chromium when present,
 * else undefined (Playwright's own browser, where one is installed).
 */
export function chromiumExecutable(configured: string | undefined, exists: (path: string) => boolean = existsSync): string | undefined {
  if (configured) return configured;
  return exists(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined;
}

/** The access settings of `config` (two-factor secret, client certificate, proxy). */
export function accessSettings(config: KintoneSettings): AccessSettings {
  return {
    totpSecret: config.kintoneTotpSecret,
    clientCert: config.kintoneClientCert,
    clientKey: config.kintoneClientKey,
    clientCertPassword: config.kintoneClientCertPassword,
    proxyUrl: config.kintoneProxyUrl,
  };
}

/** The tenant stored with the events: `KINTONE_TENANT`, else the console's host. */
export function consoleTenant(hostname: string, tenant: string | undefined): string {
  return tenant ?? consoleBaseUrl(hostname).host;
}
