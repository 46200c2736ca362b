import { z } from "zod";
import { databaseUnavailableCode } from "@/lib/errors/database-unavailable";
import { ApiError } from "@/lib/errors/api-error";
import { DomainError, NotFoundError } from "./domain-errors";

/**
 * Whatever a handler threw, as the error a client is told — or null for a bug, which the
 * caller logs and answers with a 500. The one place domain errors get their HTTP form.
 */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) return fromZodError(error);
  // The API says "No such key." with a full stop; the domain error reads as a fragment.
  if (error instanceof NotFoundError) return new ApiError(404, "not_found", `${error.message}.`);
  if (error instanceof DomainError)
    return new ApiError(error.status, error.code, error.message, error.field);
  // A database outage is not a bug: 503, retryable, on every surface alike.
  if (databaseUnavailableCode(error)) return serviceUnavailable();
  return null;
}

export const serviceUnavailable = () =>
  new ApiError(
    503,
    "service_unavailable",
    "The gateway cannot reach its database right now; retry shortly.",
    null,
    "api_error",
  );

export const internalError = (message = "The server had an error while processing your request.") =>
  new ApiError(500, "internal_error", message);

/** 422 with `param` naming the first field that failed, so a script knows what to fix. */
export function fromZodError(error: z.ZodError, prefix?: string): ApiError {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join(".");
  const param = path || null;
  const message = issue
    ? param
      ? `${param}: ${issue.message}`
      : issue.message
    : "Invalid request.";
  return new ApiError(422, "invalid_request", message, param);
}
