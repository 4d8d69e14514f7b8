/**
 * The network an address belongs to, as text: the first three octets of IPv4 (its /24, written
 * `203.0.113`), the first three groups of IPv6 (its /48, written `2001:db8:a1`), anything else
 * (masked or garbled text) as given. IPv4-mapped IPv6 counts as IPv4.
 */

/** The /24 (IPv4) or /48 (IPv6) of `address`, or `address` itself when it is neither. */
export function networkOf(address: string): string {
  if (address === "") return "";
  const colon = address.indexOf(":");
  if (colon < 0) {
    const last = address.lastIndexOf(".");
    return last > 0 && address.indexOf(".") !== last ? address.slice(0, last) : address;
  }
  if (address.includes(".")) return networkOf(address.slice(address.lastIndexOf(":") + 1));
  const halves = address.toLowerCase().split("::");
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length > 1 && halves[1] !== "" ? halves[1]!.split(":") : [];
  const groups = halves.length > 1 ? [...head, ...new Array<string>(Math.max(0, 8 - head.length - tail.length)).fill("0"), ...tail] : head;
  return groups.slice(0, 3).map((g) => g.replace(/^0+(?=.)/, "")).join(":");
}

/** How the network is written for a reader: `203.0.113.0/24`, `2001:db8:a1::/48`. */
export function networkLabel(network: string): string {
  if (/^\d+\.\d+\.\d+$/.test(network)) return `${network}.0/24`;
  if (network.includes(":")) return `${network}::/48`;
  return network;
}
