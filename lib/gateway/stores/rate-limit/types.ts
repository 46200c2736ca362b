import type { MaybePromise } from "../../maybe-async";
import type { KeyRecord } from "../../types";

/**
 * Per-key rate limits (requests per minute, tokens per minute, requests in flight), held
 * across processes: through Redis when REDIS_URL is set (redis-store.ts), otherwise through
 * slices of each minute leased from Postgres (lease-store.ts).
 */
/** Who is counted: a key, or a deployment (its id and its own per-minute limits). */
export type RateSubject = Pick<KeyRecord, "id" | "rateLimits">;

export interface RateSnapshot {
  limitRequests: number | null;
  remainingRequests: number;
  limitTokens: number | null;
  remainingTokens: number;
  /** Until the counts ease: the end of the current minute. */
  resetMs: number;
}

export interface RateTicket {
  keyId: string;
  /** Tokens charged at admission (the input estimate): corrected by the real usage at settle. */
  tokens: number;
  /** The key has a tokens-per-minute limit: settle corrects the count. */
  countsTokens: boolean;
  windowStart: number;
  /** A slot in the key's in-flight count, given back at settle. */
  slot: string | null;
}

export type RateDecision =
  | { allowed: true; snapshot: RateSnapshot; ticket: RateTicket }
  | {
      allowed: false;
      snapshot: RateSnapshot;
      reason: "requests" | "tokens" | "concurrency";
      retryAfterMs: number;
    };

export interface RateLimitStore {
  /** Counts one request and its input estimate, if the key's limits allow it. */
  admit(key: RateSubject, tokens: number, now: number): MaybePromise<RateDecision>;
  /** The request ended: `tokens` is what it really used (input + output). Exactly once per ticket. */
  settle(ticket: RateTicket, tokens: number, now: number): void;
  /** What the headers show for an answer that is not counted (/v1/models). */
  peek(key: RateSubject, now: number): RateSnapshot;
  /** The key changed: forget what is known of it here. */
  drop(keyId: string): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}
