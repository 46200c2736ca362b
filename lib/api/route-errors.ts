import { statusOf, type ErrorCode } from "@/lib/errors/error-codes";
import type { HttpMethod, RouteDescription } from "./route-contract";

/**
 * What apiRoute itself answers for every management route, before or around its handler:
 * the credential checks (lib/api/authenticate.ts, management-key-auth.ts), a Management
 * key's IP allowlist and rate limits, the failed-attempt limiter, the database being out
 * of reach, and a bug.
 */
const EVERY_ROUTE: readonly ErrorCode[] = [
  "missing_api_key",
  "invalid_api_key",
  "key_revoked",
  "key_expired",
  "key_rotated",
  "account_disabled",
  "wrong_key_type",
  "key_paused",
  "ip_not_allowed",
  "too_many_failed_attempts",
  "rate_limit_exceeded",
  "internal_error",
  "service_unavailable",
];

/** `invalid_request` is 422 on /api/v1 (a field failed validation); 400 is only for a body that is not JSON. */
const statusHere = (code: ErrorCode) => (code === "invalid_request" ? 422 : statusOf(code));

/**
 * Every error a route may answer, by status: those of every route, those its spec implies
 * (a body can be unreadable or too large, a query invalid, a required role missing, a
 * state-changing request ride on a cross-origin cookie), and the ones it declares.
 */
export function routeErrors(method: HttpMethod, route: RouteDescription): Map<number, ErrorCode[]> {
  const pairs: [number, ErrorCode][] = EVERY_ROUTE.map((code) => [statusHere(code), code]);
  if (route.body) pairs.push([400, "invalid_request"], [413, "request_too_large"]);
  if (route.body || route.query) pairs.push([422, "invalid_request"]);
  if (route.requires || method !== "GET") pairs.push([403, "forbidden"]);
  for (const code of route.errors ?? []) pairs.push([statusHere(code), code]);

  const byStatus = new Map<number, ErrorCode[]>();
  for (const [status, code] of pairs.sort(([a], [b]) => a - b)) {
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(code)) codes.push(code);
    byStatus.set(status, codes);
  }
  return byStatus;
}
