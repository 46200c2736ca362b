/**
 * The cost of a request in micro-units: tokens × price per 1M tokens, rounded up once for
 * the whole request so that a stream of tiny requests cannot be served for free.
 */
export interface Prices {
  inputPricePerMillion: bigint;
  outputPricePerMillion: bigint;
}

const MILLION = 1_000_000n;

export function costOf(prices: Prices, promptTokens: number, completionTokens: number): bigint {
  const total =
    BigInt(Math.max(0, Math.ceil(promptTokens))) * prices.inputPricePerMillion +
    BigInt(Math.max(0, Math.ceil(completionTokens))) * prices.outputPricePerMillion;
  return (total + MILLION - 1n) / MILLION;
}

/** How many output tokens `budget` pays for after the prompt; 0 when not even one. */
export function affordableOutputTokens(prices: Prices, promptTokens: number, budget: bigint): number {
  const promptCost = BigInt(Math.max(0, Math.ceil(promptTokens))) * prices.inputPricePerMillion;
  const left = budget * MILLION - promptCost;
  if (left <= 0n) return 0;
  if (prices.outputPricePerMillion === 0n) return Number.MAX_SAFE_INTEGER;
  const tokens = left / prices.outputPricePerMillion;
  return tokens > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(tokens);
}
