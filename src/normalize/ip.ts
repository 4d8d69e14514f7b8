/**
 * IP addresses as logs give them: dotted IPv4, IPv6 (with or without brackets, zone or port),
 * IPv4-mapped IPv6, a list from a proxy header, or a masked value such as `xx.xxx.xxx.xx`.
 */
import { isIPv4, isIPv6 } from "node:net";

/**
 * The canonical form of an address: dotted IPv4 (an IPv4-mapped IPv6 such as
 * `::ffff:203.0.113.10` becomes `203.0.113.10`), or compressed lower-case IPv6. For a
 * comma-separated list (X-Forwarded-For) the first address counts. Null when the value is
 * empty, masked or otherwise unparsable; never throws.
 */
export function parseIp(value: string): string | null {
  if (isIPv4(value)) return value; // the common case, first
  const first = value.split(",")[0]?.trim() ?? "";
  if (first === "") return null;
  let candidate = first;
  // [v6]:port or [v6]
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
  if (bracketed) candidate = bracketed[1]!;
  // v4:port
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(candidate);
  if (v4port) candidate = v4port[1]!;
  // drop an IPv6 zone id (fe80::1%eth0)
  const zone = candidate.indexOf("%");
  if (zone > 0) candidate = candidate.slice(0, zone);

  if (isIPv4(candidate)) return candidate;
  const loose = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(candidate);
  if (loose) {
    // leading zeros ("010.001.002.003"): read as decimal, the way logs mean them
    const parts = loose.slice(1).map(Number);
    return parts.every((p) => p <= 255) ? parts.join(".") : null;
  }
  if (!isIPv6(candidate)) return null;
  const compressed = new URL(`http://[${candidate}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return compressed;
}
