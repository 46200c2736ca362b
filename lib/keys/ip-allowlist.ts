import ipaddr from "ipaddr.js";

/**
 * A key's IP allowlist: CIDR ranges, IPv4 and IPv6 (ipaddr.js does the parsing). A bare
 * address means that one address. Stored in canonical form (`10.0.0.0/8`, `2001:db8::/32`).
 */
export function normalizeCidr(value: string): string | null {
  const text = value.trim();
  if (legacyIpv4Spelling(text)) return null;
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

/**
 * IPv4 written other than as four plain decimals (`010.1.1.1` is octal 8.1.1.1 to inet_aton,
 * `0x0a.1.1.1`, `10.1`, `167772161`): ipaddr.js accepts these, but people mean something
 * else by them, so the allowlist refuses them rather than store a range nobody wrote.
 * IPv6 with an embedded IPv4 tail (`::ffff:010.1.1.1`) is checked on that tail.
 */
export function legacyIpv4Spelling(text: string): boolean {
  const address = text.split("/")[0] ?? "";
  if (address.includes(":")) {
    const tail = address.slice(address.lastIndexOf(":") + 1);
    return tail.includes(".") && !plainDecimalIpv4(tail);
  }
  return !plainDecimalIpv4(address);
}

/** Whether ipaddr.js on its own would take it (so a refusal should say why, not "not an address"). */
export function parsesLoosely(text: string): boolean {
  try {
    if (text.includes("/")) ipaddr.parseCIDR(text);
    else ipaddr.process(text);
    return true;
  } catch {
    return false;
  }
}

function plainDecimalIpv4(text: string): boolean {
  const parts = text.split(".");
  return (
    parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)
  );
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
