import type { ApiError } from "@/lib/errors/api-error";
import type { GeminiErrorBody } from "./gemini-types";

/**
 * The gateway's errors in Google's envelope, for the Gemini routes (google.rpc.Status as
 * JSON): `{"error":{"code","message","status","details"}}`. The HTTP status stays the
 * gateway's (PRODUCT.md's table); `status` is Google's canonical name for it, and the
 * gateway's own code travels in `details` as a google.rpc.ErrorInfo, with a RetryInfo when
 * the client should wait a known time (Gemini CLI and the GenAI SDKs read both).
 */
export function googleStatusOf(status: number): string {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    // Google has no 402: an owner's balance that is used up is a precondition that fails.
    case 402:
      return "FAILED_PRECONDITION";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 405:
    case 501:
      return "UNIMPLEMENTED";
    case 409:
      return "ABORTED";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 499:
      return "CANCELLED";
    case 502:
    case 503:
    case 529:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
  }
}

export function geminiErrorBody(
  error: Pick<ApiError, "status" | "code" | "message" | "param">,
  retryAfterSeconds: number | null = null,
): GeminiErrorBody {
  const details: Record<string, unknown>[] = [
    {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: error.code,
      domain: "modelbridge",
      metadata: error.param ? { code: error.code, param: error.param } : { code: error.code },
    },
  ];
  if (retryAfterSeconds !== null)
    details.push({
      "@type": "type.googleapis.com/google.rpc.RetryInfo",
      retryDelay: `${retryAfterSeconds}s`,
    });
  return {
    error: {
      code: error.status,
      message: error.message,
      status: googleStatusOf(error.status),
      details,
    },
  };
}
