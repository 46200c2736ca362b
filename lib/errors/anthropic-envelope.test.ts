import { describe, expect, it } from "vitest";
import { gatewayErrors } from "../gateway/gateway-error";
import { anthropicErrorBody } from "./anthropic-envelope";

describe("the gateway's errors in Anthropic's envelope", () => {
  it.each([
    { error: gatewayErrors.missingApiKey(), type: "authentication_error" },
    { error: gatewayErrors.keyRevoked(), type: "authentication_error" },
    { error: gatewayErrors.wrongKeyType(), type: "permission_error" },
    { error: gatewayErrors.modelNotFound("x"), type: "not_found_error" },
    { error: gatewayErrors.limitReached(), type: "rate_limit_error" },
    { error: gatewayErrors.invalidRequest("bad"), type: "invalid_request_error" },
    { error: gatewayErrors.requestTooLarge(10), type: "request_too_large" },
    { error: gatewayErrors.insufficientBalance(), type: "billing_error" },
    { error: gatewayErrors.upstreamError(), type: "api_error" },
    { error: gatewayErrors.upstreamTimeout(), type: "timeout_error" },
    { error: gatewayErrors.serviceUnavailable(), type: "overloaded_error" },
    { error: gatewayErrors.internal(), type: "api_error" },
  ])("$error.code → $type", ({ error, type }) => {
    expect(anthropicErrorBody(error, "req_1")).toEqual({
      type: "error",
      error: { type, message: error.message, code: error.code },
      request_id: "req_1",
    });
  });
});
