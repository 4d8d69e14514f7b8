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

/** Console CSV: --tenant, else KINTONE_TENANT, else the host of KINTONE_HOSTNAME, else "console". */
export function consoleTenant(settings: TenantSettings): string {
  if (settings.override) return settings.override;
  if (settings.kintoneTenant) return settings.kintoneTenant;
  if (settings.kintoneHostname) return hostOf(settings.kintoneHostname);
  return "console";
}

/**
 * Auth0: --tenant, else AUTH0_TENANT, else the host of AUTH0_DOMAIN; null when none is set,
 * meaning each event's own `hostname` (else "auth0") decides (see `auth0EventTenant`).
 */
export function auth0Tenant(settings: TenantSettings): string | null {
  if (settings.override) return settings.override;
  if (settings.auth0Tenant) return settings.auth0Tenant;
  if (settings.auth0Domain) return hostOf(settings.auth0Domain);
  return null;
}

/** The tenant of one Auth0 event when no setting names it: its `hostname`, else "auth0". */
export function auth0EventTenant(event: unknown): string {
  if (typeof event === "object" && event !== null && !Array.isArray(event)) {
    const hostname = (event as Record<string, unknown>).hostname;
    if (typeof hostname === "string" && hostname.trim() !== "") return hostname.trim().toLowerCase();
  }
  return "auth0";
}
