import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Who may read /metrics: anyone presenting `Authorization: Bearer <METRICS_TOKEN>`, or
 * anyone at all when the operator opened it on purpose (METRICS_PUBLIC=1). Metrics name
 * models and show traffic and spend. Loopback is not trusted: a reverse proxy, a sidecar or
 * any tenant process on the same host arrives from there too.
 */
export interface MetricsAccess {
  token: string | undefined;
  open: boolean;
}

/** Compared as SHA-256 digests: equal length for timingSafeEqual, no timing leak of the token. */
export function tokenMatches(
  authorization: string | undefined,
  token: string | undefined,
): boolean {
  if (!token || !authorization?.startsWith("Bearer ")) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(authorization.slice(7).trim()), digest(token));
}

export function metricsAllowed(authorization: string | undefined, access: MetricsAccess): boolean {
  return access.open || tokenMatches(authorization, access.token);
}
