/**
 * Secrets known to this process (passwords, client secrets, SMTP credentials, the password
 * of a database URL). `redactSecrets` replaces each of them, and any `user:password@` part of
 * a URL, by `***` in a string. Config registers them at start-up; logging and errors call it.
 */
const secrets = new Set<string>();

/** Remember a secret value so that it is redacted from every later log line and error. */
export function registerSecret(value: string | undefined | null): void {
  if (value === undefined || value === null) return;
  if (value.length < 3) return; // redacting "a" would wreck every message
  secrets.add(value);
  try {
    const encoded = encodeURIComponent(value);
    if (encoded !== value) secrets.add(encoded);
  } catch {
    // a lone surrogate cannot be URI-encoded; the raw value is still registered
  }
}

/** Forget every registered secret (tests only). */
export function clearSecrets(): void {
  secrets.clear();
}

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi;

/** `text` with every registered secret and URL password replaced by `***`. */
export function redactSecrets(text: string): string {
  let out = text.replace(URL_CREDENTIALS, "$1$2:***@");
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join("***");
  }
  return out;
}
