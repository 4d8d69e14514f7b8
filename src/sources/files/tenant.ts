/** Tenants named by settings, for imported files whose content does not say. */

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

/**
 * The tenant settings name for a source's imported files: `--tenant`, else the source's tenant
 * setting, else the host of its host or domain setting; null when none is set.
 */
export function tenantNamedBy(override: string | undefined, tenant: string | undefined, hostSetting: string | undefined): string | null {
  if (override) return override;
  if (tenant) return tenant;
  if (hostSetting) return hostOf(hostSetting);
  return null;
}
