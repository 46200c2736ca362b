import { env } from "@/lib/env";
import { forwardedEntry, headerValue, type HeaderSource } from "./forwarded";

/**
 * The client's address, the one function every per-address rule uses (the bad-key limiter
 * on /v1 and /api/v1, the sign-in limiter). `server.ts` and the /v1 node adapter set
 * CLIENT_IP_HEADER from the socket, overwriting whatever a client sent, so it cannot be
 * spoofed. Behind TRUST_PROXY=<hops> reverse proxies, the socket is the nearest proxy and
 * the client is the X-Forwarded-For entry `hops` from the right (lib/http/forwarded.ts):
 * the leftmost entry is whatever the client chose to send, so a limiter keyed on it could
 * be dodged by rotating it.
 */
export const CLIENT_IP_HEADER = "x-modelbridge-client-ip";

export function clientIpFromHeaders(headers: HeaderSource): string {
  const socket = headerValue(headers, CLIENT_IP_HEADER) ?? "unknown";
  return forwardedEntry(headers, "x-forwarded-for", env().TRUST_PROXY) ?? socket;
}
