import { describe, expect, it } from "vitest";
import { backoffMs } from "./backoff";
import { classifyOutcome } from "./classify-outcome";
import { parseRetryAfter } from "../../relay/retry-after";

const status = (code: number, body = "", retryAfterMs: number | null = null) =>
  classifyOutcome({ kind: "status", status: code, body, retryAfterMs });

describe("the one outcome table", () => {
  it.each([500, 502, 503, 504, 529])(
    "%i: next deployment, the same one after a backoff",
    (code) => {
      expect(status(code)).toEqual({
        outcome: "server_error",
        action: "next",
        sameAgain: "backoff",
        breaker: "failure",
      });
    },
  );

  it("refused or reset before an answer, and a connect timeout, count as transient", () => {
    for (const failure of [
      { kind: "transport", code: "ECONNREFUSED" },
      { kind: "transport", code: "ECONNRESET" },
      { kind: "connect-timeout" },
      { kind: "stream-broken-before-content" },
    ] as const)
      expect(classifyOutcome(failure)).toMatchObject({
        action: "next",
        sameAgain: "backoff",
        breaker: "failure",
      });
  });

  it("429 with Retry-After: the same deployment only after it, and the breaker opens for it", () => {
    expect(status(429, "", 7_000)).toEqual({
      outcome: "rate_limited",
      action: "next",
      sameAgain: 7_000,
      breaker: "retry-after",
    });
  });

  it("429 without Retry-After: a transient failure with a backoff", () => {
    expect(status(429)).toMatchObject({ action: "next", sameAgain: "backoff", breaker: "failure" });
  });

  it("a silent deployment is not tried again within the request", () => {
    expect(classifyOutcome({ kind: "first-byte-timeout" })).toMatchObject({
      outcome: "silent",
      action: "next",
      sameAgain: "never",
    });
  });

  it("401/403: our credential, next deployment, this one unhealthy", () => {
    for (const code of [401, 403])
      expect(status(code)).toMatchObject({
        action: "next",
        sameAgain: "never",
        breaker: "unhealthy",
      });
  });

  it("context length (OpenAI's code, Anthropic's words): only a larger fallback", () => {
    const openai = JSON.stringify({
      error: { code: "context_length_exceeded", message: "too long" },
    });
    const anthropic = JSON.stringify({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "prompt is too long: 300000 tokens > 200000 maximum",
      },
    });
    expect(status(400, openai)).toMatchObject({
      outcome: "context_length",
      action: "larger-context",
      breaker: "none",
    });
    expect(status(400, anthropic)).toMatchObject({
      outcome: "context_length",
      action: "larger-context",
    });
  });

  it("content policy and other 4xx go to the client, with no retry and no fallback", () => {
    const filtered = JSON.stringify({ error: { code: "content_filter", message: "flagged" } });
    expect(status(400, filtered)).toEqual({
      outcome: "refused",
      action: "fail",
      sameAgain: "never",
      breaker: "none",
    });
    expect(status(422, "{}")).toMatchObject({ action: "fail" });
    expect(status(404, "{}")).toMatchObject({ action: "fail" });
  });

  it("the client left: stop", () => {
    expect(classifyOutcome({ kind: "client-left" })).toMatchObject({
      action: "stop",
      breaker: "none",
    });
  });
});

describe("backoff with full jitter", () => {
  it("stays between 0 and min(8 s, 0.5 s·2^n)", () => {
    expect(backoffMs(0, () => 0.999)).toBe(499);
    expect(backoffMs(2, () => 0.5)).toBe(1000);
    expect(backoffMs(10, () => 0.999)).toBe(7992);
    expect(backoffMs(3, () => 0)).toBe(0);
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-12-07T06:00:00Z");
  it("reads seconds, an HTTP date, and retry-after-ms (which wins)", () => {
    expect(parseRetryAfter("3", null, now)).toBe(3000);
    expect(parseRetryAfter("1.5", null, now)).toBe(1500);
    expect(parseRetryAfter("Mon, 07 Dec 2026 06:00:10 GMT", null, now)).toBe(10_000);
    expect(parseRetryAfter("3", "250", now)).toBe(250);
  });
  it("ignores what it cannot read and never goes negative", () => {
    expect(parseRetryAfter(null, null, now)).toBeNull();
    expect(parseRetryAfter("soon", "x", now)).toBeNull();
    expect(parseRetryAfter("Mon, 07 Dec 2026 05:00:00 GMT", null, now)).toBe(0);
  });
});
