/** Which tenant an imported file's events belong to, when the file itself does not say. */

/** The host of a domain or URL setting ("https://x.cybozu.com/k/" → "x.cybozu.com"). */
export function hostOf(value: string): string {
  const text = value.trim();
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return new URL(text).host.toLowerCase();
  } catch {
    // not a URL after all: fall through
  }
  return (text.split("/")[0] ?? text).toLowerCase();
}

export interface TenantSettings {
  /** `--tenant` on the command line: wins for every file. */
  override?: string | undefined;
  kintoneTenant?: string | undefined;
  kintoneHostname?: string | undefined;
  auth0Tenant?: string | undefined;
  auth0Domain?: string | undefined;
}

/** The tenant of imported console CSV when nothing names one. */
export const DEFAULT_CONSOLE_TENANT = "console";
/** The tenant of imported Auth0 events when nothing names one. */
export const DEFAULT_AUTH0_TENANT = "auth0";

/** Console CSV: --tenant, else KINTONE_TENANT, else the host of KINTONE_HOSTNAME, else "console". */
export function consoleTenant(settings: TenantSettings): string {
  if (settings.override) return settings.override;
  if (settings.kintoneTenant) return settings.kintoneTenant;
  if (settings.kintoneHostname) return hostOf(settings.kintoneHostname);
  return DEFAULT_CONSOLE_TENANT;
}

/**
 * Auth0: --tenant, else AUTH0_TENANT, else the host of AUTH0_DOMAIN, else "auth0". Never an
 * event's own `hostname`: that is content of the file, and one hostile or merely varied file
 * would otherwise create a tenant per distinct value (each one a baseline, an alarm and rows in
 * every mail). The hostname stays in the stored event's `raw`.
 */
export function auth0Tenant(settings: TenantSettings): string {
  return auth0TenantSetting(settings) ?? DEFAULT_AUTH0_TENANT;
}

/** The tenant a setting names for Auth0 imports (--tenant, AUTH0_TENANT, AUTH0_DOMAIN); null when none does. */
export function auth0TenantSetting(settings: TenantSettings): string | null {
  if (settings.override) return settings.override;
  if (settings.auth0Tenant) return settings.auth0Tenant;
  if (settings.auth0Domain) return hostOf(settings.auth0Domain);
  return null;
}

/** An Auth0 event's `hostname` (trimmed, lower case), or null; only counted, never a tenant. */
export function auth0EventHostname(event: unknown): string | null {
  if (typeof event === "object" && event !== null && !Array.isArray(event)) {
    const hostname = (event as Record<string, unknown>).hostname;
    if (typeof hostname === "string" && hostname.trim() !== "") return hostname.trim().toLowerCase();
  }
  return null;
}
