import type { RateSnapshot } from "./types";

/** OpenAI's duration format for the reset headers: `6m0s`, `1s`, `250ms`. */
export function formatReset(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const seconds = Math.ceil(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
}

/** OpenAI's x-ratelimit-* headers, on every answer to a key with a rate limit. */
export function rateLimitHeaders(snapshot: RateSnapshot): Record<string, string> {
  const headers: Record<string, string> = {};
  const reset = formatReset(snapshot.resetMs);
  if (snapshot.limitRequests !== null) {
    headers["x-ratelimit-limit-requests"] = String(snapshot.limitRequests);
    headers["x-ratelimit-remaining-requests"] = String(Math.max(0, snapshot.remainingRequests));
    headers["x-ratelimit-reset-requests"] = reset;
  }
  if (snapshot.limitTokens !== null) {
    headers["x-ratelimit-limit-tokens"] = String(snapshot.limitTokens);
    headers["x-ratelimit-remaining-tokens"] = String(Math.max(0, snapshot.remainingTokens));
    headers["x-ratelimit-reset-tokens"] = reset;
  }
  return headers;
}
