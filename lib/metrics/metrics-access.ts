import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Who may read /metrics: requests from this machine's loopback, or anyone presenting
 * `Authorization: Bearer <METRICS_TOKEN>`. Metrics name models and show traffic and spend,
 * so they are not public. Behind a reverse proxy on the same host every request arrives
 * from loopback: with TRUST_PROXY on, a forwarded request counts as remote and needs the
 * token.
 */
export interface MetricsCaller {
  remoteAddress: string | undefined;
  authorization: string | undefined;
  forwarded: boolean;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Compared as SHA-256 digests: equal length for timingSafeEqual, no timing leak of the token. */
export function tokenMatches(authorization: string | undefined, token: string | undefined): boolean {
  if (!token || !authorization?.startsWith("Bearer ")) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(authorization.slice(7).trim()), digest(token));
}

export function metricsAllowed(caller: MetricsCaller, token = process.env.METRICS_TOKEN): boolean {
  if (tokenMatches(caller.authorization, token)) return true;
  return isLoopback(caller.remoteAddress) && !caller.forwarded;
}
