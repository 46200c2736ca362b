import { z } from "zod";
import { ApiError } from "@/lib/http/errors";
import { FieldError, ForbiddenError, KeyLimitReachedError, NotFoundError } from "@/lib/errors/domain-errors";

/** Maps whatever a handler threw onto the OpenAI-style envelope the management API promises. */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) return fromZodError(error);
  if (error instanceof NotFoundError) return new ApiError(404, "not_found", `No such ${error.what}.`);
  if (error instanceof ForbiddenError) return new ApiError(403, "forbidden", error.message);
  if (error instanceof KeyLimitReachedError) return new ApiError(409, "key_limit_reached", error.message);
  if (error instanceof FieldError) {
    return error.status === 409
      ? new ApiError(409, "conflict", error.message, error.field)
      : new ApiError(422, "invalid_request", error.message, error.field);
  }
  return null;
}

/** 422 with `param` naming the first field that failed, so a script knows what to fix. */
export function fromZodError(error: z.ZodError, prefix?: string): ApiError {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join(".");
  const param = path || null;
  const message = issue ? (param ? `${param}: ${issue.message}` : issue.message) : "Invalid request.";
  return new ApiError(422, "invalid_request", message, param);
}
