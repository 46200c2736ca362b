import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { ApiError } from "@/lib/errors/api-error";
import type { RateDecision, RateSubject, RateLimitStore, RateSnapshot, RateTicket } from "./types";
import { msToWindowEnd, previousWeight, WINDOW_MS, windowStart } from "./window";

/**
 * Rate limits in Redis (REDIS_URL), through ioredis (the maintained Node client, with
 * reconnects and Lua script caching built in). One Lua script per request checks and counts
 * atomically: the sliding-window estimate of window.ts for requests and tokens, and a
 * sorted set of in-flight request ids (scored by when they lapse, so that a crashed
 * process's requests stop counting) for concurrency. rate-limiter-flexible, already a
 * dependency, was considered: its Redis limiter counts fixed windows (twice the limit
 * across a boundary) and has no concurrency limiter, so the script does all three.
 */
const ADMIT = `
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local maxc = tonumber(ARGV[3])
local tokens = tonumber(ARGV[4])
local weight = tonumber(ARGV[5])
local now = tonumber(ARGV[6])
local slot = ARGV[7]
local slotTtl = tonumber(ARGV[8])
local usedReq = math.floor(tonumber(redis.call('GET', KEYS[2]) or '0') * weight) + tonumber(redis.call('GET', KEYS[1]) or '0')
local usedTok = math.floor(tonumber(redis.call('GET', KEYS[4]) or '0') * weight) + tonumber(redis.call('GET', KEYS[3]) or '0')
if rpm > 0 and usedReq + 1 > rpm then return {0, usedReq, usedTok, 'requests'} end
if tpm > 0 and usedTok + tokens > tpm then return {0, usedReq, usedTok, 'tokens'} end
if maxc > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
  if redis.call('ZCARD', KEYS[5]) >= maxc then return {0, usedReq, usedTok, 'concurrency'} end
  redis.call('ZADD', KEYS[5], now + slotTtl, slot)
  redis.call('PEXPIRE', KEYS[5], slotTtl)
end
if rpm > 0 then redis.call('INCR', KEYS[1]); redis.call('PEXPIRE', KEYS[1], 150000) end
if tpm > 0 then redis.call('INCRBY', KEYS[3], tokens); redis.call('PEXPIRE', KEYS[3], 150000) end
return {1, usedReq + 1, usedTok + tokens, ''}
`;

/** A request in flight longer than this stops counting toward max_concurrent (its process may be gone). */
const SLOT_TTL_MS = 15 * 60_000;

type AdmitReply = [number, number, number, string];

interface ScriptedRedis extends Redis {
  mbAdmit(...args: (string | number)[]): Promise<AdmitReply>;
}

/**
 * How long one Redis command may take. A stopped Redis refuses at once (503); a hung one
 * (SIGSTOP, packets dropped) used to hold every rate-limited request forever: now it gets
 * the same 503 after this long. A healthy Redis answers in well under a millisecond.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

export function redisRateLimitStore(
  url: string,
  options: {
    onError?: (error: unknown) => void;
    prefix?: string;
    commandTimeoutMs?: number;
  } = {},
): RateLimitStore {
  const commandTimeout = options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS;
  const redis = new Redis(url, {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
    commandTimeout,
    connectTimeout: 2_000,
  }) as ScriptedRedis;
  redis.defineCommand("mbAdmit", { numberOfKeys: 5, lua: ADMIT });
  redis.on("error", options.onError ?? (() => undefined));
  const prefix = options.prefix ?? "mb:rl:";
  const onError = options.onError ?? (() => undefined);
  /** The last counts seen per key, for the headers of answers that are not counted. */
  const seen = new Map<string, { window: number; requests: number; tokens: number }>();

  const keysFor = (keyId: string, window: number) => [
    `${prefix}${keyId}:r:${window}`,
    `${prefix}${keyId}:r:${window - WINDOW_MS}`,
    `${prefix}${keyId}:t:${window}`,
    `${prefix}${keyId}:t:${window - WINDOW_MS}`,
    `${prefix}${keyId}:c`,
  ];

  const snapshotOf = (
    key: RateSubject,
    requests: number,
    tokens: number,
    now: number,
  ): RateSnapshot => {
    const limits = key.rateLimits!;
    return {
      limitRequests: limits.requestsPerMinute,
      remainingRequests: (limits.requestsPerMinute ?? 0) - requests,
      limitTokens: limits.tokensPerMinute,
      remainingTokens: (limits.tokensPerMinute ?? 0) - tokens,
      resetMs: msToWindowEnd(now),
    };
  };

  return {
    async admit(key, tokens, now): Promise<RateDecision> {
      const limits = key.rateLimits!;
      const window = windowStart(now);
      const slot = limits.maxConcurrent === null ? null : randomUUID();
      const counted = limits.tokensPerMinute === null ? 0 : tokens;
      const [ok, requests, usedTokens, reason] = await redis
        .mbAdmit(
          ...keysFor(key.id, window),
          limits.requestsPerMinute ?? 0,
          limits.tokensPerMinute ?? 0,
          limits.maxConcurrent ?? 0,
          counted,
          previousWeight(now),
          now,
          slot ?? "",
          SLOT_TTL_MS,
        )
        .catch((error: unknown) => {
          onError(error);
          // Retryable, like a database outage: the limits cannot be checked, so nothing is served.
          throw new ApiError(
            503,
            "service_unavailable",
            "The gateway cannot reach its rate-limit store right now; retry shortly.",
            null,
            "api_error",
          );
        });
      seen.set(key.id, { window, requests, tokens: usedTokens });
      const snapshot = snapshotOf(key, requests, usedTokens, now);
      if (ok !== 1) {
        const why = reason as "requests" | "tokens" | "concurrency";
        return {
          allowed: false,
          reason: why,
          snapshot,
          retryAfterMs: why === "concurrency" ? 1000 : msToWindowEnd(now),
        };
      }
      const ticket: RateTicket = {
        keyId: key.id,
        tokens: counted,
        countsTokens: limits.tokensPerMinute !== null,
        windowStart: window,
        slot,
      };
      return { allowed: true, snapshot, ticket };
    },

    settle(ticket, tokens) {
      const [, , current] = keysFor(ticket.keyId, ticket.windowStart);
      const extra = tokens - ticket.tokens;
      const work: Promise<unknown>[] = [];
      if (ticket.slot) work.push(redis.zrem(`${prefix}${ticket.keyId}:c`, ticket.slot));
      // Real usage corrects the input estimate, in the minute the request was admitted in.
      if (ticket.countsTokens && extra !== 0) work.push(redis.incrby(current, extra));
      for (const promise of work) promise.catch(onError);
    },

    peek(key, now) {
      const last = seen.get(key.id);
      const fresh = last && last.window === windowStart(now);
      return snapshotOf(key, fresh ? last.requests : 0, fresh ? last.tokens : 0, now);
    },

    drop(keyId) {
      seen.delete(keyId);
    },

    async flush() {},

    async close() {
      // QUIT waits for an answer a hung Redis never gives: shutdown must not wait on it.
      const quit = redis.quit().catch(() => undefined);
      const timedOut = new Promise<"late">((resolve) =>
        setTimeout(() => resolve("late"), commandTimeout).unref(),
      );
      if ((await Promise.race([quit, timedOut])) === "late") redis.disconnect();
    },
  };
}
