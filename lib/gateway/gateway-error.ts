import { internalError, serviceUnavailable } from "@/lib/errors/to-api-error";
import { ApiError, requestTooLarge } from "@/lib/errors/api-error";

/**
 * PRODUCT.md's error table for `/v1`, in one place. The codes are the contract: SDK users
 * branch on them.
 */
export const gatewayErrors = {
  missingApiKey: () =>
    new ApiError(
      401,
      "missing_api_key",
      "Missing API key: send it as 'Authorization: Bearer <key>'.",
    ),
  invalidApiKey: () => new ApiError(401, "invalid_api_key", "Invalid API key."),
  keyRevoked: () => new ApiError(401, "key_revoked", "This API key has been revoked."),
  keyExpired: () => new ApiError(401, "key_expired", "This API key has expired."),
  keyRotated: () =>
    new ApiError(
      401,
      "key_rotated",
      "This API key was rolled and its grace period is over; use the new key.",
    ),
  /** The key is fine but its owner's account is disabled (Admin → Users): not a typo'd key. */
  accountDisabled: () =>
    new ApiError(
      401,
      "account_disabled",
      "The account this API key belongs to is disabled; a platform admin can enable it again.",
    ),
  keyPaused: () =>
    new ApiError(403, "key_paused", "This API key is paused; its owner can resume it."),
  ipNotAllowed: () =>
    new ApiError(403, "ip_not_allowed", "This API key may not be used from this IP address."),
  modelNotAllowed: (name: string) =>
    new ApiError(
      403,
      "model_not_allowed",
      `This API key may not use the model '${name}'.`,
      "model",
    ),
  rateLimited: (message: string) =>
    new ApiError(429, "rate_limit_exceeded", message, null, "rate_limit_error"),
  wrongKeyType: () =>
    new ApiError(
      403,
      "wrong_key_type",
      "Management keys cannot call /v1; use a Model Serving key.",
    ),
  limitReached: (detail = "This API key has reached its spending limit.") =>
    new ApiError(429, "limit_reached", detail, null, "insufficient_quota"),
  insufficientBalance: () =>
    new ApiError(
      402,
      "insufficient_balance",
      "The balance of this key's owner is used up and overage is switched off.",
      null,
      "insufficient_quota",
    ),
  modelNotFound: (name: string) =>
    new ApiError(
      404,
      "model_not_found",
      `The model '${name}' does not exist or is not enabled.`,
      "model",
    ),
  invalidRequest: (message: string, param: string | null = null) =>
    new ApiError(400, "invalid_request", message, param),
  requestTooLarge,
  upstreamError: (message = "The model server failed to answer.") =>
    new ApiError(502, "upstream_error", message),
  /** No upstream connection came free in time (connection-share.ts): the key's share or the whole pool is busy. */
  upstreamBusy: (message: string) => new ApiError(503, "upstream_busy", message),
  upstreamTimeout: (message = "The model server took too long to answer.") =>
    new ApiError(504, "upstream_timeout", message),
  notFound: (path: string) => new ApiError(404, "not_found", `Unknown endpoint ${path}.`),
  methodNotAllowed: (method: string) =>
    new ApiError(405, "method_not_allowed", `Method ${method} is not allowed here.`),
  internal: () => internalError("Internal error."),
  serviceUnavailable,
};

/**
 * A refusal of a key that exists (revoked, expired, spent, wrong type): the error carries the
 * key's id so that the request's log line can name it, though no key is authenticated.
 */
export function refusingKey(error: ApiError, keyId: string): ApiError {
  return Object.assign(error, { refusedKeyId: keyId });
}

export function refusedKeyId(error: unknown): string | null {
  const id = (error as { refusedKeyId?: unknown } | null)?.refusedKeyId;
  return typeof id === "string" ? id : null;
}
