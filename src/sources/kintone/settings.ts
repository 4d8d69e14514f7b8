/** Where the console is and which browser drives it, from the configuration. */
import { existsSync } from "node:fs";
import { ConfigError } from "../../core/errors.ts";

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

/** The tenant stored with the events: `KINTONE_TENANT`, else the console's host. */
export function consoleTenant(hostname: string, tenant: string | undefined): string {
  return tenant ?? consoleBaseUrl(hostname).host;
}
