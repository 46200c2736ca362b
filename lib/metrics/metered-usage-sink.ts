import type { UsageSink } from "@/lib/gateway/stores/usage-sink";
import type { GatewayMetrics } from "./gateway-metrics";

/**
 * Every /v1 request ends in exactly one usage event (finish-request.ts), with its route,
 * status, model, tokens, cost and timings: counting there covers every request, errors
 * included, without touching the request flow.
 */
export function meteredUsageSink(sink: UsageSink, metrics: GatewayMetrics): UsageSink {
  return {
    ...sink,
    record(event, options) {
      metrics.observe(event);
      return sink.record(event, options);
    },
  };
}
