import ipaddr from "ipaddr.js";

/**
 * A key's IP allowlist: CIDR ranges, IPv4 and IPv6 (ipaddr.js does the parsing). A bare
 * address means that one address. Stored in canonical form (`10.0.0.0/8`, `2001:db8::/32`).
 */
export function normalizeCidr(value: string): string | null {
  const text = value.trim();
  try {
    if (text.includes("/")) {
      const [address, bits] = ipaddr.parseCIDR(text);
      return `${networkOf(address, bits).toString()}/${bits}`;
    }
    const address = ipaddr.process(text);
    return `${address.toString()}/${address.kind() === "ipv4" ? 32 : 128}`;
  } catch {
    return null;
  }
}

function networkOf(address: ipaddr.IPv4 | ipaddr.IPv6, bits: number): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === "ipv4"
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
    : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Compiled once per cached key: the hot path matches without parsing the list again. */
export function compileAllowlist(list: readonly string[]): Range[] {
  const ranges: Range[] = [];
  for (const cidr of list) {
    try {
      ranges.push(ipaddr.parseCIDR(cidr));
    } catch {
      // A malformed stored entry allows nothing (validation keeps them out).
    }
  }
  return ranges;
}

/** Whether `ip` (as resolved by lib/http/client-ip.ts) falls in one of the ranges. An IPv4-mapped IPv6 address counts as IPv4. */
export function ipAllowed(ranges: Range[], ip: string | null | undefined): boolean {
  if (!ip) return false;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(ip);
  } catch {
    return false;
  }
  return ranges.some(
    ([network, bits]) => network.kind() === address.kind() && address.match(network, bits),
  );
}
