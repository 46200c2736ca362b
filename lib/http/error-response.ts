import { errorJson } from "@/lib/errors/write-error";
import { loggableError } from "@/lib/errors/loggable-error";
import { internalError, toApiError } from "@/lib/errors/to-api-error";
import type { ApiError } from "../errors/api-error";

/** The JSON answer every `/api/v1` route and session route sends: body, status and headers in one place. */
export function jsonResponse(body: unknown, status: number, requestId: string): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json",
      "x-request-id": requestId,
      "cache-control": "no-store",
    },
  });
}

export function apiErrorResponse(error: ApiError, requestId: string): Response {
  // A 429 that knows when to retry says so (rate limits on /api/v1).
  const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return new Response(errorJson(error, { envelope: "openai" }), {
    status: error.status,
    headers: {
      "content-type": "application/json",
      "x-request-id": requestId,
      "cache-control": "no-store",
      ...(typeof retryAfter === "number" ? { "retry-after": String(retryAfter) } : {}),
    },
  });
}

/**
 * Whatever a route threw, as the OpenAI-style envelope. A bug is logged (the failure,
 * never the request: bodies and headers may hold keys and session cookies) and answered 500.
 */
export function errorResponse(
  error: unknown,
  requestId: string,
  logMessage = "api_v1_error",
): Response {
  const apiError = toApiError(error);
  if (apiError) return apiErrorResponse(apiError, requestId);
  console.error(
    JSON.stringify({ msg: logMessage, request_id: requestId, error: loggableError(error) }),
  );
  return apiErrorResponse(internalError(), requestId);
}
