import { env } from "@/lib/env";

/**
 * The client's address as `server.ts` saw it on the socket. The header is set by our own
 * server (overwriting whatever a client sent), so it cannot be spoofed; behind a reverse
 * proxy set TRUST_PROXY=1 to use the first X-Forwarded-For hop instead.
 */
export const CLIENT_IP_HEADER = "x-modelbridge-client-ip";

export function clientIpFromHeaders(headers: Headers | Record<string, string | string[] | undefined>): string {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  if (env().TRUST_PROXY) {
    const forwarded = get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return get(CLIENT_IP_HEADER) ?? "unknown";
}
