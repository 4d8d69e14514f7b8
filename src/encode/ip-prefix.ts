/**
 * The network an address belongs to, as text: the first three octets of IPv4 (its /24, written
 * `203.0.113`), the first three groups of IPv6 (its /48, written `2001:db8:a1`), anything else
 * (masked or garbled text) as given; and the wider carrier block (/16, /32) for phones.
 * IPv4-mapped IPv6 counts as IPv4.
 */

/** The /24 (IPv4) or /48 (IPv6) of `address`, or `address` itself when it is neither. */
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

/** The first `parts` octets (IPv4) or groups (IPv6) of `address`, or `address` when it is neither. */
function prefixOf(address: string, parts: 2 | 3): string {
  if (address === "") return "";
  const colon = address.indexOf(":");
  if (colon < 0) {
    const octets = address.split(".");
    if (octets.length === 4) return octets.slice(0, parts).join(".");
    // Masked or garbled text: the network is all before the last dot, as it always was.
    return parts === 3 && octets.length > 2 ? address.slice(0, address.lastIndexOf(".")) : address;
  }
  if (address.includes(".")) return prefixOf(address.slice(address.lastIndexOf(":") + 1), parts);
  const halves = address.toLowerCase().split("::");
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length > 1 && halves[1] !== "" ? halves[1]!.split(":") : [];
  const groups = halves.length > 1 ? [...head, ...new Array<string>(Math.max(0, 8 - head.length - tail.length)).fill("0"), ...tail] : head;
  return groups.slice(0, parts).map((g) => g.replace(/^0+(?=.)/, "")).join(":");
}

/** How the network is written for a reader: `203.0.113.0/24`, `2001:db8:a1::/48`. */
export function networkLabel(network: string): string {
  if (/^\d+\.\d+\.\d+$/.test(network)) return `${network}.0/24`;
  if (network.includes(":")) return `${network}::/48`;
  return network;
}
