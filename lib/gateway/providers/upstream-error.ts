import { ApiError } from "@/lib/errors/api-error";
import { gatewayErrors } from "../gateway-error";
import { sanitizeUpstreamMessage } from "../relay/upstream-message";

/**
 * An upstream that answered with an error status. The caller's request problems (400,
 * 404 of a route, 413, 422) keep their status and the upstream's message so the developer
 * can fix them; the upstream's own rate limit stays 429; anything that is the gateway's or
 * the model server's fault (its credential refused, 5xx, a redirect) is a 502. The message
 * is passed through sanitizeUpstreamMessage: no credentials, URLs, addresses or paths;
 * `secrets` are the model's own credential and base URL, removed verbatim.
 */
export function mapUpstreamStatus(
  status: number,
  bodyText: string,
  secrets: readonly string[] = [],
): ApiError {
  let message: string | null = null;
  let param: string | null = null;
  try {
    const parsed = JSON.parse(bodyText) as {
      error?: { message?: unknown; param?: unknown } | string;
      message?: unknown;
      detail?: unknown;
    };
    const error = parsed.error;
    if (typeof error === "string") message = error;
    else if (error && typeof error.message === "string") {
      message = error.message;
      if (typeof error.param === "string") param = error.param;
    } else if (typeof parsed.message === "string") message = parsed.message;
    else if (typeof parsed.detail === "string") message = parsed.detail;
  } catch {
    // Not JSON: the status alone speaks.
  }
  if (message !== null) message = sanitizeUpstreamMessage(message, secrets) || null;
  if (param !== null) param = sanitizeUpstreamMessage(param, secrets).slice(0, 128) || null;
  if (status === 429) {
    return new ApiError(
      429,
      "upstream_rate_limited",
      `The model server is rate limiting: ${message ?? "try again later"}.`,
      null,
      "rate_limit_error",
    );
  }
  if ([400, 404, 409, 413, 422].includes(status) && message) {
    return new ApiError(
      status === 404 ? 400 : status,
      "upstream_rejected",
      `The model server rejected the request: ${message}`,
      param,
    );
  }
  return gatewayErrors.upstreamError(`The model server answered with status ${status}.`);
}
