import type { GatewayDeps } from "../deps";
import { gatewayErrors } from "../gateway-error";
import { isPromise, type MaybePromise } from "../maybe-async";
import type { RequestContext } from "../request-context";
import type { KeyRecord } from "../types";
import { rateLimitHeaders } from "./headers";
import type { RateDecision } from "./types";

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
 */
export function admitRequest(
  deps: GatewayDeps,
  ctx: RequestContext,
  key: KeyRecord,
  tokens: number,
): MaybePromise<void> {
  if (!key.rateLimits) return;
  const decision = deps.rateLimits.admit(key, tokens, deps.clock());
  return isPromise(decision) ? decision.then((d) => apply(ctx, d)) : apply(ctx, decision);
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
