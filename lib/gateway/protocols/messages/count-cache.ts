import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

/**
 * Answers of an Anthropic model's `count_tokens`, by model and body. Claude Code asks for a
 * count again and again with the same conversation; a count does not change, so a repeated
 * one is answered here instead of costing the operator an upstream call each time. Calls
 * for the same count that arrive together share one upstream call. Per process: a count is
 * a cache, not a decision (nothing is refused or charged from it).
 */
const cache = new LRUCache<string, Buffer>({
  max: 5_000,
  maxSize: 16 * 1024 * 1024,
  sizeCalculation: (value) => Math.max(1, value.byteLength),
  ttl: 10 * 60_000,
});
const inFlight = new Map<string, Promise<Buffer>>();

export function countKey(modelId: string, upstreamModel: string, body: unknown): string {
  return createHash("sha256")
    .update(modelId)
    .update("\0")
    .update(upstreamModel)
    .update("\0")
    .update(JSON.stringify(body))
    .digest("base64url");
}

/** The cached count, or `ask()`'s answer (shared by simultaneous callers), kept when it succeeds. */
export async function cachedCount(key: string, ask: () => Promise<Buffer>): Promise<Buffer> {
  const hit = cache.get(key);
  if (hit) return hit;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = ask().finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  const answer = await pending;
  cache.set(key, answer);
  return answer;
}
