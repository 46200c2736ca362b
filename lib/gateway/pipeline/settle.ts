import { finishRequest, nothingCharged } from "./finish-request";
import type { RequestContext } from "../request-context";
import type { StreamOutcome } from "../relay/sse-relay";
import { countTokens } from "../relay/token-estimate";
import type { DepsForFinish } from "./finish-types";

/**
 * Settling the end of a request from what the upstream reported, or, when it reported no
 * usage, from the gateway's own count. Shared by every protocol.
 */
export interface ReportedUsage {
  promptTokens: number;
  completionTokens: number;
  cachedInputTokens?: number;
}

export function settleReported(
  deps: DepsForFinish,
  ctx: RequestContext,
  status: number,
  usage: ReportedUsage,
  cutAtLimit: boolean,
  errorCode: string | null = null,
): void {
  finishRequest(deps, ctx, { status, errorCode, ...usage, costSource: "upstream", cutAtLimit });
}

/** No usage reported: the prompt by the tokenizer, the output by counting what was produced. */
export async function settleEstimated(
  deps: DepsForFinish,
  ctx: RequestContext,
  status: number,
  estimatePrompt: () => Promise<number>,
  outputText: string,
  cutAtLimit: boolean,
  errorCode: string | null = null,
): Promise<void> {
  try {
    const [promptTokens, completionTokens] = await Promise.all([
      estimatePrompt(),
      countTokens(outputText),
    ]);
    finishRequest(deps, ctx, {
      status,
      errorCode,
      promptTokens,
      completionTokens,
      costSource: "estimate",
      cutAtLimit,
    });
  } catch {
    finishRequest(deps, ctx, nothingCharged(status, errorCode));
  }
}

/** The end of a relayed stream (sse-relay's outcome), as chat settles it. */
export async function settleStreamOutcome(
  deps: DepsForFinish,
  ctx: RequestContext,
  outcome: StreamOutcome,
  estimatePrompt: () => Promise<number>,
  cachedInputTokens = 0,
): Promise<void> {
  const errorCode = outcome.error?.code ?? (outcome.status === 499 ? "client_closed" : null);
  const cut = outcome.cut || outcome.hitLength;
  if (outcome.usage) {
    settleReported(
      deps,
      ctx,
      outcome.status,
      { ...outcome.usage, cachedInputTokens },
      cut,
      errorCode,
    );
    return;
  }
  if (!outcome.produced) {
    // Nothing came out (upstream failed first, or the client left before any token): free.
    finishRequest(deps, ctx, nothingCharged(outcome.status, errorCode));
    return;
  }
  await settleEstimated(
    deps,
    ctx,
    outcome.status,
    estimatePrompt,
    outcome.completionText,
    cut,
    errorCode,
  );
}

/** `prompt_tokens` and the cached part of them, from chat's or completions' usage object. */
export function chatUsage(usage: unknown): ReportedUsage | null {
  if (!usage || typeof usage !== "object") return null;
  const u = usage as {
    prompt_tokens?: unknown;
    completion_tokens?: unknown;
    prompt_tokens_details?: { cached_tokens?: unknown } | null;
  };
  return {
    promptTokens: Number(u.prompt_tokens ?? 0) || 0,
    completionTokens: Number(u.completion_tokens ?? 0) || 0,
    cachedInputTokens: Number(u.prompt_tokens_details?.cached_tokens ?? 0) || 0,
  };
}
