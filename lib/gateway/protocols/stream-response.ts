import type { ForwardCall } from "../pipeline/protocol";
import { settleStreamOutcome } from "../pipeline/settle";
import { relaySse } from "../sse-relay";
import type { GatewayResponse } from "../types";
import type { UpstreamResponse } from "../upstream-client";

/** What every streamed answer is sent with: SSE, never cached, never buffered by a proxy (nginx). */
export function sseResponse(
  headers: Record<string, string>,
  body: GatewayResponse["body"],
): GatewayResponse {
  return {
    status: 200,
    headers: {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
    body,
  };
}

/**
 * An OpenAI-shaped stream (chat or legacy completions) relayed as it comes, cut at the
 * budget, and charged when it ends from the upstream's usage or, without one, the estimate.
 */
export function relayOpenAiStream(
  call: ForwardCall,
  upstream: UpstreamResponse,
  headers: Record<string, string>,
  clientWantsUsage: boolean,
  estimatePrompt: Parameters<typeof settleStreamOutcome>[3],
): GatewayResponse {
  const { deps, ctx, request } = call;
  const relay = relaySse(upstream, {
    clientWantsUsage,
    cutAfterDeltas: call.cutAfterDeltas,
    signal: request.signal,
    onEnd: (outcome) => deps.track(settleStreamOutcome(deps, ctx, outcome, estimatePrompt)),
  });
  return sseResponse(headers, relay);
}
