import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError } from "@/lib/errors/api-error";
import {
  ConflictError,
  FieldError,
  ForbiddenError,
  KeyLimitReachedError,
  NotFoundError,
} from "./domain-errors";
import { ERROR_CODES } from "./error-codes";
import { toApiError } from "./to-api-error";

const envelope = (error: unknown) => {
  const apiError = toApiError(error);
  return apiError && { status: apiError.status, ...apiError.toBody().error };
};

describe("one error vocabulary", () => {
  it("gives each domain error its code, status and field", () => {
    expect(envelope(new NotFoundError("key"))).toEqual({
      status: 404,
      code: "not_found",
      type: "invalid_request_error",
      message: "No such key.",
      param: null,
    });
    expect(envelope(new ForbiddenError("Only platform admins can manage users."))).toMatchObject({
      status: 403,
      code: "forbidden",
      type: "permission_error",
    });
    expect(envelope(new KeyLimitReachedError(3))).toMatchObject({
      status: 409,
      code: "key_limit_reached",
    });
    expect(envelope(new FieldError("amount", "Credit must be a positive amount."))).toMatchObject({
      status: 422,
      code: "invalid_request",
      param: "amount",
    });
    expect(envelope(new FieldError("name", "Taken", 409))).toMatchObject({
      status: 409,
      code: "conflict",
      param: "name",
    });
    expect(
      envelope(new ConflictError("last_admin", "This is the only platform admin.")),
    ).toMatchObject({ status: 409, code: "last_admin" });
  });

  it("answers a database outage 503 on every surface, and leaves a bug to the caller", () => {
    const outage = Object.assign(new Error("Failed query: select 1"), {
      cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    });
    expect(envelope(outage)).toMatchObject({
      status: 503,
      code: "service_unavailable",
      type: "api_error",
    });
    expect(toApiError(new TypeError("x is undefined"))).toBeNull();
  });

  it("names the first invalid field of a zod error", () => {
    const error = z.object({ name: z.string() }).safeParse({ name: 1 }).error!;
    expect(envelope(error)).toMatchObject({ status: 422, code: "invalid_request", param: "name" });
  });

  it("sends every code with a status its row allows", () => {
    for (const [code, statuses] of Object.entries(ERROR_CODES)) {
      expect(statuses.length, code).toBeGreaterThan(0);
      expect(ApiError.of(code as keyof typeof ERROR_CODES, "m").status).toBe(statuses[0]);
    }
  });
});
