import { costOf } from "@/lib/billing/pricing";
import { loggableError } from "@/lib/errors/loggable-error";
import type { DepsForFinish } from "./finish-types";
import type { RequestContext } from "./request-context";
import type { CostSource, RequestOutcome } from "./types";

/**
 * The end of every authenticated `/v1` request, exactly once: settle the reservation to the
 * real cost (never above it, so spend never passes the limit), hand the record to the
 * batched sink, and write the one log line. All of it is synchronous and in memory: the
 * budget lease and the usage sink write to the database on their own timers.
 */
export interface RequestResult extends RequestOutcome {
  costSource: CostSource;
  /** Cut off (or max_tokens lowered and hit) because the key's budget ran out. */
  cutAtLimit: boolean;
}

export const nothingCharged = (status: number, errorCode: string | null): RequestResult => ({
  status,
  errorCode,
  promptTokens: 0,
  completionTokens: 0,
  costSource: "none",
  cutAtLimit: false,
});

export function finishRequest(
  deps: DepsForFinish,
  ctx: RequestContext,
  result: RequestResult,
): void {
  if (ctx.finished) return;
  ctx.finished = true;
  const now = deps.clock();
  const { model, reservation, key } = ctx;

  let cost = 0n;
  if (model && result.costSource !== "none") {
    cost = costOf(model, result.promptTokens, result.completionTokens, result);
    if (reservation) {
      // A response cut at the limit uses up the budget it was given: the key becomes limit_reached.
      if (result.cutAtLimit && reservation.capped) cost = reservation.amount;
      if (cost > reservation.amount) cost = reservation.amount;
    }
  }

  const latencyMs = now - ctx.startedAt;
  const event = {
    requestId: ctx.requestId,
    key,
    model,
    modelName: ctx.modelName || "-",
    endpoint: ctx.endpoint,
    streamed: ctx.streamed,
    status: result.status,
    errorCode: result.errorCode,
    promptTokens: result.promptTokens,
    completionTokens: result.completionTokens,
    cachedInputTokens: result.cachedInputTokens ?? 0,
    cacheWriteTokens: result.cacheWriteTokens ?? 0,
    cost,
    costSource: result.costSource,
    latencyMs,
    upstreamMs: ctx.upstreamStartedAt === null ? null : now - ctx.upstreamStartedAt,
    at: new Date(now),
  };

  deps.log({
    level: result.status >= 500 ? "error" : result.status >= 400 ? "warn" : "info",
    msg: "v1 request",
    request_id: ctx.requestId,
    key_id: key?.id ?? ctx.refusedKeyId,
    model: ctx.modelName || null,
    endpoint: ctx.endpoint,
    ...(ctx.path === null ? null : { path: ctx.path }),
    streamed: ctx.streamed,
    status: result.status,
    error_code: result.errorCode,
    prompt_tokens: result.promptTokens,
    completion_tokens: result.completionTokens,
    cached_input_tokens: result.cachedInputTokens ?? 0,
    cost_micros: cost.toString(),
    cost_source: result.costSource,
    latency_ms: latencyMs,
    ...(ctx.dropped ? { dropped: ctx.dropped } : {}),
  });

  // Unauthenticated requests are logged but not recorded: nobody to charge, and a flood
  // of bad keys must not turn into a flood of rows.
  if (!key) return;

  if (reservation) {
    try {
      const spend = deps.budget.settle(
        reservation.keyId,
        reservation.amount,
        cost,
        reservation.periodStart,
      );
      deps.keys.noteSpend(
        reservation.keyId,
        spend,
        deps.budget.periodOf?.(reservation.keyId) ?? undefined,
      );
    } catch (error) {
      deps.log({
        level: "error",
        msg: "settle failed",
        request_id: ctx.requestId,
        error: loggableError(error),
      });
    }
  }
  if (ctx.rateTicket) {
    try {
      deps.rateLimits.settle(ctx.rateTicket, result.promptTokens + result.completionTokens, now);
    } catch (error) {
      deps.log({
        level: "error",
        msg: "rate limit settle failed",
        request_id: ctx.requestId,
        error: loggableError(error),
      });
    }
    ctx.rateTicket = null;
  }
  deps.usage.record(event, { spendSettled: reservation !== null });
}
