import type { ChatFinishReason, ChatUsage } from "../openai-chat-types";
import type { TokenUsage } from "../usage";
import type { GeminiCandidate, GeminiUsage } from "./gemini-types";

/**
 * Usage and finish reasons between Gemini and chat. Gemini counts the prompt with its
 * cached part inside (`cachedContentTokenCount`), and the answer as `candidatesTokenCount`
 * plus `thoughtsTokenCount` apart; chat counts thoughts inside completion_tokens (as
 * reasoning_tokens). Thoughts are output in both, and are metered as output.
 */
const count = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;

export function geminiUsageOfChat(usage: Partial<ChatUsage> | null | undefined): GeminiUsage {
  const prompt = count(usage?.prompt_tokens);
  const completion = count(usage?.completion_tokens);
  const thoughts = Math.min(completion, count(usage?.completion_tokens_details?.reasoning_tokens));
  const cached = Math.min(prompt, count(usage?.prompt_tokens_details?.cached_tokens));
  const out: GeminiUsage = {
    promptTokenCount: prompt,
    candidatesTokenCount: completion - thoughts,
    totalTokenCount: prompt + completion,
  };
  if (cached) out.cachedContentTokenCount = cached;
  if (thoughts) out.thoughtsTokenCount = thoughts;
  return out;
}

/** Gemini's usage by kind, for metering: cached input apart, thoughts (and tool-use prompt) counted. */
export function tokenUsageOfGemini(usage: GeminiUsage | null | undefined): TokenUsage {
  const prompt = count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount);
  const cached = Math.min(prompt, count(usage?.cachedContentTokenCount));
  return {
    inputTokens: prompt - cached,
    outputTokens: count(usage?.candidatesTokenCount) + count(usage?.thoughtsTokenCount),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
}

export function chatUsageOfGemini(usage: GeminiUsage | null | undefined): ChatUsage {
  const tokens = tokenUsageOfGemini(usage);
  const prompt = tokens.inputTokens + tokens.cacheReadTokens;
  const thoughts = count(usage?.thoughtsTokenCount);
  const out: ChatUsage = {
    prompt_tokens: prompt,
    completion_tokens: tokens.outputTokens,
    total_tokens: prompt + tokens.outputTokens,
    prompt_tokens_details: { cached_tokens: tokens.cacheReadTokens },
  };
  if (thoughts) out.completion_tokens_details = { reasoning_tokens: thoughts };
  return out;
}

export type GeminiFinishReason = NonNullable<GeminiCandidate["finishReason"]>;

export function geminiFinishOf(finish: string | null | undefined): GeminiFinishReason {
  switch (finish) {
    case "stop":
    // Gemini ends a turn that calls functions with STOP too.
    case "tool_calls":
    case "function_call":
      return "STOP";
    case "length":
      return "MAX_TOKENS";
    case "content_filter":
      return "SAFETY";
    default:
      return "OTHER";
  }
}

export function chatFinishOf(
  finish: string | null | undefined,
  calledFunctions: boolean,
): ChatFinishReason | null {
  if (!finish || finish === "FINISH_REASON_UNSPECIFIED") return null;
  if (calledFunctions && finish === "STOP") return "tool_calls";
  switch (finish) {
    case "STOP":
      return "stop";
    case "MAX_TOKENS":
      return "length";
    case "SAFETY":
    case "RECITATION":
    case "BLOCKLIST":
    case "PROHIBITED_CONTENT":
    case "SPII":
    case "IMAGE_SAFETY":
      return "content_filter";
    default:
      return "stop";
  }
}
