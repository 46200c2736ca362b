import { describe, expect, it } from "vitest";
import type { KeyRecord } from "../../types";
import { redisRateLimitStore } from "./redis-store";

const key = {
  id: "00000000-0000-4000-8000-000000000001",
  rateLimits: { requestsPerMinute: 5, tokensPerMinute: null, maxConcurrent: null },
} as KeyRecord;

describe("Redis rate-limit store", () => {
  it("answers 503 service_unavailable (retryable) when Redis cannot be reached, rather than serving unlimited", async () => {
    const store = redisRateLimitStore("redis://127.0.0.1:1");
    try {
      await expect(store.admit(key, 10, Date.now())).rejects.toMatchObject({
        status: 503,
        code: "service_unavailable",
      });
    } finally {
      await store.close();
    }
  });
});
