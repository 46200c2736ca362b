import { finishRequest, nothingCharged } from "./finish-request";
import type { RequestContext } from "../request-context";
import type { StreamOutcome } from "../relay/chat-stream-meter";
import type { RelayState } from "../relay/relay-loop";
import { countTokens } from "../relay/token-estimate";
import { usageFromCounts, type TokenUsage } from "../translate/usage";
import type { GatewayDeps } from "../deps";
import type { DepsForFinish } from "./finish-types";

/**
 * The one way a request is charged when it ends, for every protocol and provider: from the
 * usage the upstream reported (one type, `TokenUsage`, whatever the protocol called it), or,
 * when it reported none, from the gateway's own count of the prompt and of what was
 * produced. Nothing produced (the upstream failed first, the client left before a token)
 * costs nothing.
 */
export interface SettleOutcome {
  status: number;
  errorCode: string | null;
  /** Cut at the budget's cap, or ended at the output limit. */
  cutAtLimit: boolean;
}

/** The prompt's size when the upstream reported none: a count already made, or to make. */
export type PromptEstimate = number | (() => Promise<number>);

export function settleFromUsage(
  deps: DepsForFinish,
  ctx: RequestContext,
  usage: TokenUsage,
  outcome: SettleOutcome,
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

/**
 * No usage reported: the prompt by the tokenizer, the output by counting the produced text.
 * `produced: false` charges nothing; an embedding (no output at all) leaves it out.
 */
export async function settleFromEstimate(
  deps: DepsForFinish,
  ctx: RequestContext,
  prompt: PromptEstimate,
  producedText: string,
  outcome: SettleOutcome & { produced?: boolean },
): Promise<void> {
  const { status, errorCode, cutAtLimit } = outcome;
  if (outcome.produced === false) {
    finishRequest(deps, ctx, nothingCharged(status, errorCode));
    return;
  }
  try {
    const [promptTokens, completionTokens] = await Promise.all([
      typeof prompt === "number" ? prompt : prompt(),
      countTokens(producedText),
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

/** A whole (non-stream) answer: its reported usage, else the estimate of what it holds. */
export function settleAnswer(
  deps: DepsForFinish,
  ctx: RequestContext,
  usage: TokenUsage | null,
  prompt: PromptEstimate,
  producedText: () => string,
  outcome: SettleOutcome,
): Promise<void> {
  if (!usage) return settleFromEstimate(deps, ctx, prompt, producedText(), outcome);
  settleFromUsage(deps, ctx, usage, outcome);
  return Promise.resolve();
}

/** What every relayed stream's meter reports at its end (chat, Anthropic, Gemini). */
export interface RelayedOutcome extends RelayState {
  completionText: string;
  produced: boolean;
  cut: boolean;
  hitLength: boolean;
}

/**
 * The end of a relayed stream: its usage when the upstream sent it (null: none came), else
 * the estimate; its error code, or `client_closed` when the client left. Runs in the
 * background (deps.track), as the relay's onEnd.
 */
export function settleRelayed(
  deps: DepsForFinish & Pick<GatewayDeps, "track">,
  ctx: RequestContext,
  outcome: RelayedOutcome,
  usage: TokenUsage | null,
  prompt: PromptEstimate,
): void {
  const errorCode = outcome.error?.code ?? (outcome.status === 499 ? "client_closed" : null);
  const settled = {
    status: outcome.status,
    errorCode,
    cutAtLimit: outcome.cut || outcome.hitLength,
  };
  if (usage) settleFromUsage(deps, ctx, usage, settled);
  else
    deps.track(
      settleFromEstimate(deps, ctx, prompt, outcome.completionText, {
        ...settled,
        produced: outcome.produced,
      }),
    );
}

/** A chat stream's usage chunk (prompt with its cached part, completion) as `TokenUsage`. */
export function usageOfChatStream(
  outcome: StreamOutcome,
  cachedInputTokens = 0,
): TokenUsage | null {
  if (!outcome.usage) return null;
  const { promptTokens, completionTokens } = outcome.usage;
  return usageFromCounts(promptTokens, completionTokens, cachedInputTokens);
}
