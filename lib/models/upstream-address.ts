import { isIP } from "node:net";
import { isForbiddenAddress } from "@/lib/net/forbidden-address";

/**
 * The early check of a model's base URL, when it is saved: a literal link-local or metadata
 * address (in any IPv4 or IPv6 spelling, lib/net/forbidden-address.ts) or a known metadata
 * host name is refused with a message naming the field. This is for a clear 422; the
 * guarantee is the check of the resolved address on every new upstream connection
 * (lib/net/guarded-connector.ts), which also covers names that resolve there, now or later.
 * Loopback and private ranges stay allowed: self-hosted model servers (vLLM, Ollama…) live
 * there. ALLOW_LINK_LOCAL_UPSTREAMS=1 lifts both checks for the rare setup that needs it.
 */
const METADATA_HOSTS = new Set([
  "metadata", // GCE's short name for metadata.google.internal
  "metadata.google.internal",
  "metadata.goog",
  "metadata.azure.internal",
  "instance-data",
  "instance-data.ec2.internal",
]);

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
  if (isIP(address) !== 0 && isForbiddenAddress(address)) {
    return "must not point at a link-local or cloud metadata address (set ALLOW_LINK_LOCAL_UPSTREAMS=1 to allow)";
  }
  return null;
}
