/**
 * Mail addresses from the configuration (MAIL_FROM, SEND_TO_LIST): `user@example.com` or
 * `Name <user@example.com>`. Each is checked so that a typo is a ConfigError naming the
 * variable and the bad entry at start-up, not a bounce days later. Line breaks and other
 * control characters are refused outright (they would let a setting inject headers).
 */
import { ConfigError } from "../core/errors.ts";

export interface MailAddress {
  /** Display name, "" when none. */
  name: string;
  address: string;
}

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\p{L}\\p{N}-]+";
const LOCAL = `${ATOM}(?:\\.${ATOM})*`;
const LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?";
const DOMAIN = `(?:${LABEL}(?:\\.${LABEL})*|\\[\\d{1,3}(?:\\.\\d{1,3}){3}\\])`;
const ADDR_SPEC = new RegExp(`^${LOCAL}@${DOMAIN}$`, "u");
const NAMED = /^(.*?)\s*<([^<>]*)>$/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/u;

/** Whether `value` is a plain address `local@domain` we are willing to send to. */
export function isValidAddress(value: string): boolean {
  return value.length <= 254 && !CONTROL.test(value) && ADDR_SPEC.test(value) && value.split("@")[0]!.length <= 64;
}

/** Parse one entry, `user@example.com` or `Name <user@example.com>`; throws ConfigError naming `variable`. */
export function parseAddress(entry: string, variable: string): MailAddress {
  const value = entry.trim();
  const bad = (why: string): never => {
    throw new ConfigError(`${variable} holds an invalid address "${JSON.stringify(value).slice(1, -1)}": ${why}.`, { details: { variable } });
  };
  if (value === "") bad("it is empty");
  if (CONTROL.test(value)) bad("it contains a line break or another control character");
  const named = NAMED.exec(value);
  const name = named ? named[1]!.trim().replace(/^"(.*)"$/u, "$1") : "";
  const address = (named ? named[2]! : value).trim();
  if (!address.includes("@")) bad("it has no @");
  if (!isValidAddress(address)) bad("expected user@example.com or Name <user@example.com>");
  return { name, address };
}

/** Parse a list of entries (SEND_TO_LIST is split on commas by the config). Throws when it is empty. */
export function parseAddressList(entries: readonly string[], variable: string): MailAddress[] {
  const list = entries.map((e) => parseAddress(e, variable));
  if (list.length === 0) {
    throw new ConfigError(`${variable} is empty: set it to the recipients of the report (comma-separated), or run with --no-mail.`, { details: { variable } });
  }
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = a.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An address as a header value, such as `"Name" <user@example.com>`. */
export function formatAddress(a: MailAddress): string {
  return a.name === "" ? a.address : `"${a.name.replace(/["\\]/g, "\\$&")}" <${a.address}>`;
}
