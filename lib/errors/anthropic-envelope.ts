import type { ApiError } from "@/lib/errors/api-error";

/**
 * The gateway's errors in Anthropic's envelope, for the Anthropic routes:
 * `{"type":"error","error":{"type","message"},"request_id"}`. The gateway's own code
 * (PRODUCT.md's table) rides along in `error.code`, as on the OpenAI routes; Anthropic's
 * SDK ignores what it does not know and picks its exception class by status.
 */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
    case 405:
    case 409:
    case 422:
      return "invalid_request_error";
    // Anthropic's own type for a body over its size limit.
    case 413:
      return "request_too_large";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    case 504:
      return "timeout_error";
    default:
      return "api_error";
  }
}

export interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string; code: string };
  request_id: string;
}

export function anthropicErrorBody(error: ApiError, requestId: string): AnthropicErrorBody {
  return {
    type: "error",
    error: { type: anthropicErrorType(error.status), message: error.message, code: error.code },
    request_id: requestId,
  };
}
