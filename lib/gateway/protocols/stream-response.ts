import type { ProviderCall } from "../providers/provider";
import { sseResponse } from "../relay/sse-response";
import { settleRelayed, usageOfChatStream, type PromptEstimate } from "../pipeline/settle";
import { relaySse } from "../relay/sse-relay";
import type { GatewayResponse } from "../types";
import type { UpstreamResponse } from "../relay/upstream-client";

/**
 * An OpenAI-shaped stream (chat or legacy completions) relayed as it comes, cut at the
 * budget, and charged when it ends from the upstream's usage or, without one, the estimate.
 */
export function relayOpenAiStream(
  call: ProviderCall,
  upstream: UpstreamResponse,
  headers: Record<string, string>,
  clientWantsUsage: boolean,
  estimatePrompt: PromptEstimate,
): GatewayResponse {
  const { deps, ctx, request } = call;
  const relay = relaySse(upstream, {
    clientWantsUsage,
    cutAfterDeltas: call.cutAfterDeltas,
    signal: request.signal,
    onEnd: (outcome) =>
      settleRelayed(deps, ctx, outcome, usageOfChatStream(outcome), estimatePrompt),
  });
  return sseResponse(headers, relay);
}
