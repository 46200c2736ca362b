import type { AnthropicStreamOutcome } from "./sse-relay";
import type { GatewayDeps } from "../../deps";
import type { RequestContext } from "../../request-context";
import { settleRelayed } from "../../pipeline/settle";

/**
 * How an Anthropic stream is charged when it ends, whichever protocol the client speaks:
 * from the upstream's final usage when it came; otherwise (client gone, upstream failed)
 * from what was produced, with the prompt as `promptTokens` says — nothing produced costs
 * nothing. Returns the relay's `onEnd`.
 */
export function settleAnthropicStream(
  deps: GatewayDeps,
  ctx: RequestContext,
  promptTokens: (usage: AnthropicStreamOutcome["usage"]) => number,
): (outcome: AnthropicStreamOutcome) => void {
  return (outcome) =>
    settleRelayed(
      deps,
      ctx,
      outcome,
      outcome.finalUsage ? outcome.usage : null,
      promptTokens(outcome.usage),
    );
}
