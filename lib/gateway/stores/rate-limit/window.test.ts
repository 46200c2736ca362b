import { describe, expect, it } from "vitest";
import { formatReset, rateLimitHeaders } from "./headers";
import { msToWindowEnd, slidingUsed, windowStart } from "./window";

describe("sliding window", () => {
  const minute = Date.UTC(2026, 2, 10, 12, 0, 0);

  it("weighs the previous minute by how much of it the last 60 s still cover", () => {
    expect(slidingUsed(60, 0, minute)).toBe(60);
    expect(slidingUsed(60, 0, minute + 15_000)).toBe(45);
    expect(slidingUsed(60, 10, minute + 45_000)).toBe(25);
  });

  it("does not allow twice the limit across a minute boundary", () => {
    // 60 requests at 12:00:59, then at 12:01:01 the window still counts nearly all of them.
    expect(slidingUsed(60, 0, minute + 60_000 + 1_000)).toBe(59);
  });

  it("knows its minute and when it ends", () => {
    expect(windowStart(minute + 59_999)).toBe(minute);
    expect(msToWindowEnd(minute + 45_000)).toBe(15_000);
  });
});

describe("x-ratelimit headers", () => {
  it("formats resets as OpenAI does and sends each trio only for a limit that is set", () => {
    expect(formatReset(250)).toBe("250ms");
    expect(formatReset(6_000)).toBe("6s");
    expect(formatReset(60_000)).toBe("1m0s");
    expect(
      rateLimitHeaders({
        limitRequests: 60,
        remainingRequests: 59,
        limitTokens: null,
        remainingTokens: 0,
        resetMs: 6_000,
      }),
    ).toEqual({
      "x-ratelimit-limit-requests": "60",
      "x-ratelimit-remaining-requests": "59",
      "x-ratelimit-reset-requests": "6s",
    });
  });
});
