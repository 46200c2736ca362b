/**
 * Token counts on the gateway's side, with gpt-tokenizer (o200k). Its tables are large, so
 * the module loads once, at start-up (`preloadTokenizer`, awaited by the runtime) or on the
 * first count. Special-token text in a prompt (`<|endoftext|>`) counts as plain text, as
 * the upstream's own tokenizer reads user text; it must never throw.
 *
 * - `tokensNow`: synchronous, for the reservation on the hot path (pipeline/prompt-tally.ts).
 *   Before the tokenizer has loaded it counts 2 bytes a token, which leans high.
 * - `countTokens`: the same, after waiting for the tokenizer: the echo model, and charging
 *   output that no usage chunk reported.
 */
type Counter = (text: string) => number;
let counter: Promise<Counter> | undefined;
let loaded: Counter | null = null;

function loadCounter(): Promise<Counter> {
  counter ??= import("gpt-tokenizer/encoding/o200k_base").then((module) => {
    const options = { disallowedSpecial: new Set<string>() };
    loaded = (text: string) => module.countTokens(text, options);
    return loaded;
  });
  return counter;
}

export async function preloadTokenizer(): Promise<void> {
  await loadCounter();
}

export function tokensNow(text: string): number {
  if (text.length === 0) return 0;
  if (loaded) return loaded(text);
  void loadCounter();
  return Math.ceil(Buffer.byteLength(text, "utf8") / 2);
}

export async function countTokens(text: string): Promise<number> {
  if (text.length === 0) return 0;
  return (await loadCounter())(text);
}

/**
 * Whose tokenizer a model's prompt is counted with: o200k for OpenAI-compatible servers,
 * o200k scaled to Claude's for Anthropic (pipeline/prompt-tally.ts). Each provider names its
 * own (Provider.tokenFamily).
 */
export type TokenFamily = "openai" | "anthropic";

/**
 * A request's prompt size, counted on first use only: keys without a spending limit or a
 * tokens-per-minute limit never need it, and counting is the one per-request cost that
 * grows with the prompt (pipeline/request-prompt.ts builds it).
 */
export interface PromptSize {
  /** Tokens to reserve (the count plus the margin). */
  reserve(): number;
  /** Some of it lives upstream: reserve what is left of the budget. */
  unknown(): boolean;
  /** What the upstream will most likely bill: the charge when it reports no usage. */
  estimate(): Promise<number>;
  /** The same, counted now (2 bytes a token if the tokenizer has not loaded yet). */
  count(): number;
}
