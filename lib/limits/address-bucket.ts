import ipaddr from "ipaddr.js";

/**
 * The unit an address-based limit counts: an IPv4 address as it is, an IPv6 client by its
 * /64. One subscriber, one host or one cloud VM usually holds a whole /64 and can pick any
 * address in it at no cost, so counting single IPv6 addresses would let one client act as
 * millions of places (and, at the per-email ceiling, lock an owner out with ~100 of them).
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as the IPv4 address. Anything that is
 * not an address (e.g. "unknown") is counted as given.
 */
export function addressBucket(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((part) => part.toString(16)).join(":")}::/64`;
}
