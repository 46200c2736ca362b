import type { GatewayDeps } from "../deps";
import { finishRequest, nothingCharged } from "./finish-request";
import type { RequestContext } from "../request-context";
import { countTokens } from "../relay/token-estimate";
import type { TokenUsage } from "../translate/usage";

/**
 * Settles a request from usage by kind (input, output, cache reads, cache writes), as both
 * protocols report it; or, when the upstream sent none, from our own count of what was
 * produced (nothing produced: nothing charged).
 */
export function settleFromUsage(
  deps: GatewayDeps,
  ctx: RequestContext,
  usage: TokenUsage,
  outcome: { status: number; errorCode: string | null; cutAtLimit: boolean },
): void {
  finishRequest(deps, ctx, {
    ...outcome,
    promptTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens,
    completionTokens: usage.outputTokens,
    cachedInputTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    costSource: "upstream",
  });
}

export async function settleFromEstimate(
  deps: GatewayDeps,
  ctx: RequestContext,
  promptTokens: number,
  producedText: string,
  outcome: { status: number; errorCode: string | null; cutAtLimit: boolean; produced: boolean },
): Promise<void> {
  if (!outcome.produced) {
    finishRequest(deps, ctx, nothingCharged(outcome.status, outcome.errorCode));
    return;
  }
  try {
    const completionTokens = await countTokens(producedText);
    finishRequest(deps, ctx, {
      status: outcome.status,
      errorCode: outcome.errorCode,
      promptTokens,
      completionTokens,
      costSource: "estimate",
      cutAtLimit: outcome.cutAtLimit,
    });
  } catch {
    finishRequest(deps, ctx, nothingCharged(outcome.status, outcome.errorCode));
  }
}
