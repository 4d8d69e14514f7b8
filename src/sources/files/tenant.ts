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
