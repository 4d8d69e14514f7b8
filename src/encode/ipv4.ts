/**
 * An address as the classic vector's unsigned 32-bit integer. Only IPv4 (dotted quad) and
 * IPv4-mapped IPv6 (`::ffff:203.0.113.10`, `::ffff:cb00:710a`) have one; every other value
 * (other IPv6, masked `xx.xxx.xxx.xx`, garbage) has none.
 */
import { isIPv6 } from "node:net";

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function dottedToUint(text: string): number | null {
  const m = DOTTED.exec(text);
  if (!m) return null;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    // Leading zeros are ambiguous (octal in some parsers): refuse rather than guess.
    if (part.length > 1 && part.startsWith("0")) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** The 8 groups of an IPv6 address (already checked with isIPv6), a trailing dotted quad expanded. */
function ipv6Groups(text: string): number[] | null {
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(":");
  const last = body.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = dottedToUint(last);
    if (v4 === null) return null;
    tail.push(Math.floor(v4 / 65536), v4 % 65536);
    body = body.slice(0, lastColon + 1) + "0"; // placeholder group, removed below
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((g) => parseInt(g, 16)));
  let groups: number[];
  if (halves.length === 2) {
    const head = parse(halves[0]!);
    const rest = parse(halves[1]!);
    if (tail.length) rest.pop();
    const missing = 8 - tail.length - head.length - rest.length;
    if (missing < 0) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest, ...tail];
  } else {
    groups = parse(halves[0]!);
    if (tail.length) groups.pop();
    groups.push(...tail);
  }
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null;
  return groups;
}

/**
 * The IPv4 address in `text` as an unsigned integer (0 .. 2^32 − 1), or null when `text` is
 * not IPv4 and not IPv4-mapped IPv6. Surrounding spaces and brackets are ignored.
 */
export function ipv4ToUint(text: string | null | undefined): number | null {
  if (!text) return null;
  let s = text.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const v4 = dottedToUint(s);
  if (v4 !== null) return v4;
  const zoneAt = s.indexOf("%");
  if (zoneAt >= 0) s = s.slice(0, zoneAt);
  if (!isIPv6(s)) return null;
  const groups = ipv6Groups(s.toLowerCase());
  if (!groups) return null;
  const mapped = groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff;
  return mapped ? groups[6]! * 65536 + groups[7]! : null;
}

/**
 * The classic vector's address component: the event's address (the normaliser's canonical form
 * when it has one, else the raw text) as an unsigned integer, or null when it has none.
 */
export function eventIpv4(ipParsed: string | null, ip: string): number | null {
  return ipv4ToUint(ipParsed) ?? ipv4ToUint(ip);
}

/** True when the event carries an address text that the classic vector cannot encode. */
export function isUnparsableIp(ipParsed: string | null, ip: string): boolean {
  const present = (ip ?? "").trim() !== "" || (ipParsed ?? "") !== "";
  return present && eventIpv4(ipParsed, ip) === null;
}
