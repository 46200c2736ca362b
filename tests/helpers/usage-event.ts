import type { UsageEvent } from "@/lib/gateway/types";

/** A usage record with no key or model (nothing to charge), for tests of the usage sink itself. */
export function keylessUsageEvent(requestId: string, modelName: string): UsageEvent {
  return {
    requestId,
    key: null,
    model: null,
    modelName,
    endpoint: "chat.completions",
    streamed: false,
    status: 200,
    errorCode: null,
    promptTokens: 1,
    completionTokens: 1,
    cost: 0n,
    costSource: "none",
    latencyMs: 1,
    upstreamMs: null,
    at: new Date(),
  };
}
