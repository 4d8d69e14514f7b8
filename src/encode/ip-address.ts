/**
 * Addresses as the encoders read them, through one parser: IPv4 as a dotted quad, IPv6 as
 * node:net accepts it, and IPv4-mapped IPv6 (`::ffff:203.0.113.10`, `::ffff:cb00:710a`) as the
 * IPv4 it carries. From it come the classic vector's unsigned integer and the profile's
 * networks (/24, /48) and carrier blocks (/16, /32). Text that is no address (masked
 * `xx.xxx.xxx.xx`, garbage) has no integer, and its network is read from the text itself.
 */
import { isIPv4, isIPv6 } from "node:net";

/** An address: IPv4 as 4 octets, IPv6 as 8 groups of 16 bits. */
export type ParsedAddress = { version: 4; parts: number[] } | { version: 6; parts: number[] };

/** The octets of a dotted quad (node:net's isIPv4 refuses leading zeros, which some parsers read as octal), or null. */
function dottedQuad(text: string): number[] | null {
  return isIPv4(text) ? text.split(".").map(Number) : null;
}

/** The 8 groups of an address node:net accepts as IPv6, a trailing dotted quad read as two groups. */
function ipv6Groups(text: string): number[] | null {
  let body = text;
  const tail: number[] = [];
  const last = body.slice(body.lastIndexOf(":") + 1);
  if (last.includes(".")) {
    const octets = dottedQuad(last);
    if (octets === null) return null;
    tail.push(octets[0]! * 256 + octets[1]!, octets[2]! * 256 + octets[3]!);
    body = body.slice(0, body.length - last.length);
    if (body.endsWith(":") && !body.endsWith("::")) body = body.slice(0, -1);
  }
  const hex = (s: string) => (s === "" ? [] : s.split(":").map((g) => parseInt(g, 16)));
  const halves = body.split("::");
  const head = hex(halves[0]!);
  const rest = halves.length === 2 ? hex(halves[1]!) : [];
  const missing = halves.length === 2 ? 8 - head.length - rest.length - tail.length : 0;
  const groups = [...head, ...new Array<number>(Math.max(0, missing)).fill(0), ...rest, ...tail];
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

/** The address in `text` (surrounding spaces, brackets and an IPv6 zone ignored), or null when it is none. */
export function parseAddress(text: string): ParsedAddress | null {
  let s = text.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const octets = dottedQuad(s);
  if (octets !== null) return { version: 4, parts: octets };
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  const groups = isIPv6(s) ? ipv6Groups(s.toLowerCase()) : null;
  if (groups === null) return null;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  return mapped ? { version: 4, parts: [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255] } : { version: 6, parts: groups };
}

/**
 * The IPv4 address in `text` as an unsigned integer (0 .. 2^32 − 1), or null when `text` is
 * not IPv4 and not IPv4-mapped IPv6.
 */
export function ipv4ToUint(text: string | null | undefined): number | null {
  const address = text ? parseAddress(text) : null;
  return address?.version === 4 ? address.parts.reduce((value, octet) => value * 256 + octet, 0) : null;
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

/**
 * The first `count` octets (IPv4, written `203.0.113`) or groups (IPv6, `2001:db8:a1`) of
 * `address`. Text that is no address keeps its dotted parts up to the same place: a masked
 * `xx.xxx.xxx.xx` has the network `xx.xxx.xxx`, other dotted text loses its last part.
 */
function prefixOf(address: string, count: 2 | 3): string {
  const parsed = parseAddress(address);
  if (parsed?.version === 4) return parsed.parts.slice(0, count).join(".");
  if (parsed?.version === 6) return parsed.parts.slice(0, count).map((g) => g.toString(16)).join(":");
  const parts = address.split(".");
  if (parts.length === 4) return parts.slice(0, count).join(".");
  return count === 3 && parts.length > 2 ? address.slice(0, address.lastIndexOf(".")) : address;
}

/** The /24 (IPv4) or /48 (IPv6) of `address`, or as much of its text (see prefixOf). */
export function networkOf(address: string): string {
  return prefixOf(address, 3);
}

/**
 * The carrier block of `address`: its /16 (IPv4, written `49.96`) or /32 (IPv6, `2001:db8`).
 * A phone's carrier hands it addresses from a pool (CGNAT), so the next day's address differs
 * from today's but stays in the carrier's block.
 */
export function carrierBlockOf(address: string): string {
  return prefixOf(address, 2);
}

/** How the network is written for a reader: `203.0.113.0/24`, `2001:db8:a1::/48`. */
export function networkLabel(network: string): string {
  if (/^\d+\.\d+\.\d+$/.test(network)) return `${network}.0/24`;
  if (network.includes(":")) return `${network}::/48`;
  return network;
}
