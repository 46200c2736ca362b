import type { GatewayDeps } from "../deps";
import { gatewayErrors } from "../gateway-error";
import { isPromise, type MaybePromise } from "../maybe-async";
import type { RequestContext } from "../request-context";
import type { KeyRecord } from "../types";
import { rateLimitHeaders } from "../stores/rate-limit/headers";
import type { RateDecision } from "../stores/rate-limit/types";

const REASONS = {
  requests:
    "This API key's requests-per-minute limit is reached; retry after the time in retry-after.",
  tokens:
    "This API key's tokens-per-minute limit is reached (or this request alone is larger than it); retry after the time in retry-after.",
  concurrency:
    "This API key has as many requests in progress as its concurrency limit allows; retry when one ends.",
};

/**
 * Counts a request against its key's rate limits (a plain value when this process's share
 * covers it, as nearly always) and sets the x-ratelimit-* headers the answer carries;
 * refuses with 429 rate_limit_exceeded and a retry-after when a limit is reached.
 *
 * Tokens per minute count what the request may use: its prompt and its output cap (as
 * OpenAI counts max_tokens), settled to what it really used when it ends. Without any cap,
 * the output may take what is left of the key's minute, so that is what it counts.
 */
export function admitRequest(
  deps: GatewayDeps,
  ctx: RequestContext,
  key: KeyRecord,
  prompt: () => number,
  outputCap: number | null = 0,
): MaybePromise<void> {
  if (!key.rateLimits) return;
  const tokens = tokensToAdmit(key.rateLimits.tokensPerMinute, prompt, outputCap);
  const decision = deps.rateLimits.admit(key, tokens, deps.clock());
  return isPromise(decision) ? decision.then((d) => apply(ctx, d)) : apply(ctx, decision);
}

/** What a request counts against a tokens-per-minute limit: its prompt and its output cap. */
export function tokensToAdmit(
  perMinute: number | null,
  prompt: () => number,
  outputCap: number | null,
): number {
  if (perMinute === null) return 0;
  const input = prompt();
  return input + Math.min(outputCap ?? perMinute, Math.max(perMinute - input, 0));
}

function apply(ctx: RequestContext, decision: RateDecision): void {
  ctx.rateHeaders = rateLimitHeaders(decision.snapshot);
  if (!decision.allowed) {
    throw Object.assign(gatewayErrors.rateLimited(REASONS[decision.reason]), {
      retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
    });
  }
  ctx.rateTicket = decision.ticket;
}

/** For answers that are not counted (the model list, token counting): the headers alone. */
export function peekRateHeaders(deps: GatewayDeps, ctx: RequestContext, key: KeyRecord): void {
  if (key.rateLimits) ctx.rateHeaders = rateLimitHeaders(deps.rateLimits.peek(key, deps.clock()));
}

export function retryAfterOf(error: unknown): number | null {
  const seconds = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === "number" ? seconds : null;
}
