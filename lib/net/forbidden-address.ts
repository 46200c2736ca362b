import ipaddr from "ipaddr.js";

/**
 * Which IP addresses outbound requests made on a user's say-so (a model's base URL; later
 * webhook URLs) may not reach: link-local ranges, the old IPv6 site-local range and the
 * cloud metadata services. A request sent there with our credential, or just by us, can read
 * the host's cloud credentials. IPv6 forms that carry an IPv4 address (mapped, compatible,
 * NAT64, SIIT, 6to4, Teredo) are judged by the IPv4 address inside them, so
 * [64:ff9b::a9fe:a9fe] is 169.254.169.254. Loopback and private ranges stay allowed:
 * self-hosted model servers (vLLM, Ollama…) live there.
 *
 * Range classification is ipaddr.js's (RFC 6890 special-purpose registries), not ours.
 */
const METADATA_V4 = new Set(["100.100.100.200"]); // Alibaba Cloud (169.254.169.254 is link-local already)
const METADATA_V6 = new Set(["fd00:ec2::254"]); // AWS over IPv6
const FORBIDDEN_V6_RANGES = new Set(["linkLocal", "deprecatedSiteLocal"]);

/** True if `address` (a literal IPv4 or IPv6 address, without brackets) may not be reached. */
export function isForbiddenAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return forbidden(ipaddr.parse(address));
}

function forbidden(ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (ip.kind() === "ipv4") return ip.range() === "linkLocal" || METADATA_V4.has(ip.toString());
  const v6 = ip as ipaddr.IPv6;
  if (FORBIDDEN_V6_RANGES.has(v6.range()) || METADATA_V6.has(v6.toString())) return true;
  const inner = embeddedIPv4(v6);
  return inner !== null && forbidden(inner);
}

const v4 = (high: number, low: number) =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/** The IPv4 address an IPv6 address stands for, if it carries one. */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = ip.parts;
  switch (ip.range()) {
    case "ipv4Mapped": // ::ffff:a.b.c.d
    case "rfc6145": // ::ffff:0:a.b.c.d (SIIT)
    case "rfc6052": // 64:ff9b::a.b.c.d (NAT64)
      return v4(p[6], p[7]);
    case "6to4": // 2002:AABB:CCDD::/48
      return v4(p[1], p[2]);
    case "teredo": // 2001:0::/32, client address stored inverted in the last 32 bits
      return v4(p[6] ^ 0xffff, p[7] ^ 0xffff);
  }
  // IPv4-compatible ::a.b.c.d (deprecated; WHATWG URL writes [::169.254.169.254] as [::a9fe:a9fe]).
  // :: and ::1 are the unspecified and loopback addresses, not IPv4 ones.
  if (p.slice(0, 6).every((part) => part === 0) && (p[6] !== 0 || p[7] > 1)) return v4(p[6], p[7]);
  return null;
}

/** Ranges that are the operator's own network: refused for webhooks unless allowed. */
const PRIVATE_V4 = new Set([
  "loopback",
  "private",
  "unspecified",
  "carrierGradeNat",
  "reserved",
  "broadcast",
]);
const PRIVATE_V6 = new Set(["loopback", "uniqueLocal", "unspecified", "reserved"]);

/**
 * True for loopback, private (RFC 1918, fc00::/7), CGNAT, unspecified and reserved
 * addresses, and IPv6 forms carrying one: where the operator's own services (the database,
 * Redis, SSH, admin panels) listen. Webhooks of ordinary users may not reach them
 * (PRODUCT.md "Webhooks do not reach the operator's network").
 */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return privateIp(ipaddr.parse(address));
}

function privateIp(ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (ip.kind() === "ipv4") return PRIVATE_V4.has(ip.range());
  const v6 = ip as ipaddr.IPv6;
  if (PRIVATE_V6.has(v6.range())) return true;
  const inner = embeddedIPv4(v6);
  return inner !== null && privateIp(inner);
}
