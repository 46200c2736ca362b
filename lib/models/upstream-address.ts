import { BlockList, isIP } from "node:net";

/**
 * Addresses a model's base URL may not point at: link-local ranges and the cloud metadata
 * services. A gateway forwards requests (with a credential) wherever an admin points it,
 * so a base URL on the metadata service would turn it into a way to read the host's cloud
 * credentials. Loopback and private ranges stay allowed: self-hosted model servers (vLLM,
 * Ollama…) live there. ALLOW_LINK_LOCAL_UPSTREAMS=1 lifts this for the rare setup that
 * needs it.
 *
 * Only literal addresses and the known metadata host names are checked, at registration;
 * a host name that later resolves to a link-local address is not (see SECURITY.md).
 */
const blocked = new BlockList();
blocked.addSubnet("169.254.0.0", 16, "ipv4"); // link-local, includes AWS/GCP/Azure 169.254.169.254
blocked.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud metadata
blocked.addSubnet("fe80::", 10, "ipv6"); // link-local
blocked.addAddress("fd00:ec2::254", "ipv6"); // AWS metadata over IPv6

const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata.goog", "metadata.azure.internal", "instance-data", "instance-data.ec2.internal"]);

/** Why `url` may not be a model's upstream, or null if it may. */
export function forbiddenUpstreamReason(url: string): string | null {
  let hostname: string;
  try {
    // WHATWG parsing already canonicalises odd IPv4 spellings (0xA9FEA9FE, 2852039166…).
    hostname = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return null; // not a URL at all: the URL check reports that
  }
  if (METADATA_HOSTS.has(hostname)) return "must not point at a cloud metadata service";
  const address = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  const family = isIP(address);
  if (family === 0) return null;
  // BlockList also matches IPv4-mapped IPv6 (::ffff:169.254.169.254) against the IPv4 rules.
  if (blocked.check(address, family === 4 ? "ipv4" : "ipv6")) {
    return "must not point at a link-local or cloud metadata address (set ALLOW_LINK_LOCAL_UPSTREAMS=1 to allow)";
  }
  return null;
}
