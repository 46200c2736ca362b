import type { AnthropicStreamOutcome } from "./sse-relay";
import type { GatewayDeps } from "../../deps";
import type { RequestContext } from "../../request-context";
import { settleFromEstimate, settleFromUsage } from "../../pipeline/settle-usage";

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
  return (outcome) => {
    const errorCode = outcome.error?.code ?? (outcome.status === 499 ? "client_closed" : null);
    const cutAtLimit = outcome.cut || outcome.hitLength;
    if (outcome.usage && outcome.finalUsage) {
      settleFromUsage(deps, ctx, outcome.usage, { status: outcome.status, errorCode, cutAtLimit });
    } else {
      deps.track(
        settleFromEstimate(deps, ctx, promptTokens(outcome.usage), outcome.completionText, {
          status: outcome.status,
          errorCode,
          cutAtLimit,
          produced: outcome.produced,
        }),
      );
    }
  };
}
