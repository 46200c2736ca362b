/**
 * How large a request body each class of route may send, enforced by server.ts before a
 * request reaches Next (lib/server/body-cap.ts). Next and next-auth read bodies whole
 * (form posts to /api/auth, server actions, `request.text()`), so without a cap in front
 * one large upload took the process, and the /v1 traffic it serves, down.
 *
 * `/v1` is not here: the gateway caps its own bodies while streaming (GATEWAY_MAX_BODY_BYTES).
 */
const KiB = 1024;
const MiB = 1024 * KiB;

/** Sign-in and sign-up forms, next-auth's callbacks: a few fields. */
export const AUTH_MAX_BODY_BYTES = 64 * KiB;
/** A Playground conversation (its messages are re-sent with every turn). */
export const PLAYGROUND_MAX_BODY_BYTES = 4 * MiB;
/** A management API request: JSON objects of a few fields. */
export const MANAGEMENT_MAX_BODY_BYTES = 1_000_000;
/** Pages and server actions (Next's own default for server actions is 1 MB). */
export const DEFAULT_MAX_BODY_BYTES = 1 * MiB;

/** The cap for a request to `url` (path and query), or null for routes that cap themselves. */
export function bodyCapFor(url: string): number | null {
  if (url === "/v1" || url.startsWith("/v1/") || url.startsWith("/v1?")) return null;
  if (url.startsWith("/api/auth/")) return AUTH_MAX_BODY_BYTES;
  if (url.startsWith("/api/playground/")) return PLAYGROUND_MAX_BODY_BYTES;
  if (url.startsWith("/api/v1/") || url === "/api/v1") return MANAGEMENT_MAX_BODY_BYTES;
  return DEFAULT_MAX_BODY_BYTES;
}
