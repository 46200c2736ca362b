import type { AnthropicUsage } from "./anthropic-types";
import type { ChatUsage } from "./openai-chat-types";

/**
 * Usage in both protocols' terms. OpenAI counts cached tokens inside prompt_tokens;
 * Anthropic counts input_tokens, cache_read_input_tokens and cache_creation_input_tokens
 * apart (their sum is the prompt). Reasoning tokens are output in both.
 */
export interface TokenUsage {
  /** Prompt tokens read at the full input price (neither read from nor written to a cache). */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

const count = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;

export function usageFromChat(usage: Partial<ChatUsage> | null | undefined): TokenUsage {
  const prompt = count(usage?.prompt_tokens);
  const cached = Math.min(prompt, count(usage?.prompt_tokens_details?.cached_tokens));
  return {
    inputTokens: prompt - cached,
    outputTokens: count(usage?.completion_tokens),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
}

/** A chat or completions answer's `usage` member, if it has one (embeddings' too). */
export function reportedChatUsage(value: unknown): TokenUsage | null {
  return value && typeof value === "object" ? usageFromChat(value as Partial<ChatUsage>) : null;
}

/** Chat's counts (a prompt that includes its cached part, and the output) as `TokenUsage`. */
export function usageFromCounts(
  promptTokens: number,
  completionTokens: number,
  cachedTokens = 0,
): TokenUsage {
  const cached = Math.min(promptTokens, cachedTokens);
  return {
    inputTokens: promptTokens - cached,
    outputTokens: completionTokens,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
}

export function usageFromAnthropic(usage: Partial<AnthropicUsage> | null | undefined): TokenUsage {
  return {
    inputTokens: count(usage?.input_tokens),
    outputTokens: count(usage?.output_tokens),
    cacheReadTokens: count(usage?.cache_read_input_tokens),
    cacheWriteTokens: count(usage?.cache_creation_input_tokens),
  };
}

export function chatUsageOf(usage: TokenUsage): ChatUsage {
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
  };
}

/** Anthropic's usage object, with the members its SDK types require set to null. */
export function anthropicUsageOf(usage: TokenUsage): AnthropicUsage {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    cache_creation: null,
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: null,
    speed: null,
  };
}

/** message_delta's usage: cumulative, with the same nulls. */
export function anthropicDeltaUsageOf(usage: TokenUsage) {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    output_tokens_details: null,
    server_tool_use: null,
  };
}
