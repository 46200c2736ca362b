/**
 * Every error code ModelBridge answers with, on `/v1`, `/api/v1`, the Playground and the
 * dashboard's forms, with the HTTP status it goes out with. The codes are a contract:
 * SDK users and scripts branch on them, so the list is closed — a new refusal either uses
 * one of these or adds its row here, where a reviewer sees it.
 *
 * A few codes legitimately go out with more than one status; the first is the usual one:
 * - `invalid_request`: 400 on `/v1` (OpenAI's status for a bad body), 422 on `/api/v1`
 *   (the body parsed but a field failed validation); 400 for JSON that does not parse.
 * - `upstream_rejected`: the model server's own 400/409/413/422, passed on.
 */
export const ERROR_CODES = {
  invalid_request: [400, 422],
  upstream_rejected: [400, 409, 413, 422],
  missing_api_key: [401],
  invalid_api_key: [401],
  key_revoked: [401],
  key_expired: [401],
  key_rotated: [401],
  account_disabled: [401],
  unauthenticated: [401],
  insufficient_balance: [402],
  forbidden: [403],
  wrong_key_type: [403],
  key_paused: [403],
  ip_not_allowed: [403],
  model_not_allowed: [403],
  not_found: [404],
  model_not_found: [404],
  method_not_allowed: [405],
  conflict: [409],
  key_limit_reached: [409],
  last_admin: [409],
  cannot_disable_self: [409],
  request_too_large: [413],
  limit_reached: [429],
  rate_limit_exceeded: [429],
  too_many_failed_attempts: [429],
  upstream_rate_limited: [429],
  client_closed: [499],
  internal_error: [500],
  upstream_error: [502],
  service_unavailable: [503],
  no_healthy_deployment: [503],
  upstream_busy: [503],
  upstream_timeout: [504],
} as const satisfies Record<string, readonly number[]>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The status a code goes out with when nothing more specific applies. */
export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code][0];
}
