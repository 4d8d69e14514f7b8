/**
 * IP addresses as logs give them, read by one parser (ipaddr.js): dotted IPv4, IPv6 (with or
 * without brackets, zone or port), IPv4-mapped IPv6 (`::ffff:203.0.113.10`, `::ffff:cb00:710a`,
 * read as the IPv4 it carries), a list from a proxy header, or a masked value such as
 * `xx.xxx.xxx.xx`. From it come the normaliser's canonical form (ipParsed), the classic
 * vector's unsigned integer and the profile's networks (/24, /48) and carrier blocks (/16, /32).
 *
 * ipaddr.js reads more than logs mean: `010.1.1.1` as octal, `10.1` and `0x0a010101` as IPv4,
 * `::1.2.3.4` as IPv4-mapped. Those readings are refused here: an IPv4 address is four decimal
 * parts, and a dotted tail of IPv6 is read by that same rule.
 */
import ipaddr from "ipaddr.js";

/** An address as ipaddr.js holds it: IPv4 as `octets`, IPv6 as 8 16-bit `parts`. */
export type ParsedAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Four decimal parts without leading zeros: the only IPv4 form read (ipaddr.js checks each is ≤ 255). */
const FOUR_DECIMAL_PARTS = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

/** The result of `parse`, or null when it throws (ipaddr.js throws on text that is no address). */
function orNull<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

/** The dotted quad `text` is, or null. */
function readIpv4(text: string): ipaddr.IPv4 | null {
  return FOUR_DECIMAL_PARTS.test(text) ? orNull(() => ipaddr.IPv4.parse(text)) : null;
}

/**
 * The IPv6 address `text` is (no zone), or null. A trailing dotted quad is read as IPv4 and
 * written as two hex groups first, so that ipaddr.js neither reads its parts as octal nor
 * turns `::1.2.3.4` (an IPv4-compatible address) into a mapped one.
 */
function readIpv6(text: string): ipaddr.IPv6 | null {
  const lastColon = text.lastIndexOf(":");
  if (lastColon < 0) return null;
  let hex = text;
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const octets = readIpv4(tail)?.octets;
    if (octets === undefined) return null;
    const high = octets[0]! * 256 + octets[1]!;
    const low = octets[2]! * 256 + octets[3]!;
    hex = `${text.slice(0, lastColon + 1)}${high.toString(16)}:${low.toString(16)}`;
  }
  return orNull(() => ipaddr.IPv6.parse(hex));
}

/** The address `text` is exactly (a dotted quad, or IPv6 with an optional zone), IPv4-mapped IPv6 as IPv4. */
function readAddress(text: string): ParsedAddress | null {
  const ipv4 = readIpv4(text);
  if (ipv4 !== null) return ipv4;
  const zone = text.indexOf("%");
  const ipv6 = readIpv6(zone >= 0 ? text.slice(0, zone) : text);
  return ipv6?.isIPv4MappedAddress() ? ipv6.toIPv4Address() : ipv6;
}

/** The address in `text` (surrounding spaces, brackets and an IPv6 zone ignored), or null when it is none. */
export function parseAddress(text: string): ParsedAddress | null {
  let s = text.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  return readAddress(s);
}

/**
 * The canonical form of an address as a log gives it: dotted IPv4 (an IPv4-mapped IPv6 such as
 * `::ffff:203.0.113.10` becomes `203.0.113.10`; leading zeros, `010.000.001.002`, are read as
 * decimal, the way logs mean them), or compressed lower-case IPv6 (RFC 5952). A port
 * (`203.0.113.10:443`, `[2001:db8::1]:8443`) and a zone (`fe80::1%eth0`) are dropped; for a
 * comma-separated list (X-Forwarded-For) the first address counts. Null when the value is
 * empty, masked or otherwise unparsable; never throws.
 */
export function parseIp(value: string): string | null {
  if (FOUR_DECIMAL_PARTS.test(value)) return readIpv4(value)?.toString() ?? null; // the common case, first
  let candidate = value.split(",")[0]?.trim() ?? "";
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
  if (bracketed) candidate = bracketed[1]!;
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(candidate);
  if (v4port) candidate = v4port[1]!;
  const zone = candidate.indexOf("%");
  if (zone > 0) candidate = candidate.slice(0, zone);
  const zeroPadded = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(candidate);
  if (zeroPadded) candidate = zeroPadded.slice(1).map(Number).join(".");
  // An IPv4 address is written dotted, an IPv6 one compressed (RFC 5952); the zone is already cut.
  return readAddress(candidate)?.toString() ?? null;
}

/**
 * The IPv4 address in `text` as an unsigned integer (0 .. 2^32 − 1), or null when `text` is
 * not IPv4 and not IPv4-mapped IPv6.
 */
export function ipv4ToUint(text: string | null | undefined): number | null {
  const address = text ? parseAddress(text) : null;
  return address instanceof ipaddr.IPv4 ? address.octets.reduce((value, octet) => value * 256 + octet, 0) : null;
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
  if (parsed instanceof ipaddr.IPv4) return parsed.octets.slice(0, count).join(".");
  if (parsed instanceof ipaddr.IPv6) return parsed.parts.slice(0, count).map((g) => g.toString(16)).join(":");
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
