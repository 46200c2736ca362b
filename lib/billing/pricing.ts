/**
 * The cost of a request in micro-units: tokens × price per 1M tokens, rounded up once for
 * the whole request so that a stream of tiny requests cannot be served for free.
 *
 * Input tokens come in kinds: read from the provider's prompt cache, written to it, or
 * neither. `promptTokens` counts them all (as OpenAI's `prompt_tokens` does); the cache
 * counts say how many of them are priced at the cache prices, which default to the input
 * price when the model sets none.
 */
export interface Prices {
  inputPricePerMillion: bigint;
  outputPricePerMillion: bigint;
  cachedInputPricePerMillion?: bigint | null;
  cacheWritePricePerMillion?: bigint | null;
}

export interface CacheTokens {
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
}

const MILLION = 1_000_000n;

const whole = (tokens: number | undefined) => BigInt(Math.max(0, Math.ceil(tokens ?? 0)));

export function costOf(
  prices: Prices,
  promptTokens: number,
  completionTokens: number,
  cache?: CacheTokens,
): bigint {
  const prompt = whole(promptTokens);
  let total = whole(completionTokens) * prices.outputPricePerMillion;
  if (cache && (cache.cachedInputTokens || cache.cacheWriteTokens)) {
    // Never more cached tokens than there were input tokens: an upstream's odd report must
    // not make the plain input negative.
    const cached = minBig(whole(cache.cachedInputTokens), prompt);
    const written = minBig(whole(cache.cacheWriteTokens), prompt - cached);
    total +=
      (prompt - cached - written) * prices.inputPricePerMillion +
      cached * (prices.cachedInputPricePerMillion ?? prices.inputPricePerMillion) +
      written * (prices.cacheWritePricePerMillion ?? prices.inputPricePerMillion);
  } else {
    total += prompt * prices.inputPricePerMillion;
  }
  return (total + MILLION - 1n) / MILLION;
}

const minBig = (a: bigint, b: bigint) => (a < b ? a : b);

/** How many output tokens `budget` pays for after the prompt; 0 when not even one. */
export function affordableOutputTokens(
  prices: Prices,
  promptTokens: number,
  budget: bigint,
): number {
  const promptCost = BigInt(Math.max(0, Math.ceil(promptTokens))) * prices.inputPricePerMillion;
  const left = budget * MILLION - promptCost;
  if (left <= 0n) return 0;
  if (prices.outputPricePerMillion === 0n) return Number.MAX_SAFE_INTEGER;
  const tokens = left / prices.outputPricePerMillion;
  return tokens > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(tokens);
}
