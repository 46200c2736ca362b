import { costOf } from "@/lib/billing/pricing";
import { loggableError } from "@/lib/errors/loggable-error";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { settleDeploymentTicket } from "./attempts/deployment-limits";
import type { DepsForFinish } from "./finish-types";
import type { RequestContext } from "../request-context";
import type { CostSource, RequestOutcome } from "../types";
import { traceFields } from "../tracing/trace-fields";

/**
 * The end of every authenticated `/v1` request, exactly once: settle the reservation to the
 * real cost, hand the record to the batched sink, and write the one log line. The cost is
 * always the tokens as reported × the model's prices (PRODUCT.md, "The money is exact at
 * every edge"): never the reservation when less was used, never clamped to it when more
 * was — the key pays what the upstream billed, and what the reservation did not cover is
 * the record's `shortfall`, counted in /metrics. All of it is synchronous and in memory: the
 * budget lease and the usage sink write to the database on their own timers — except that a
 * durable sink (GATEWAY_USAGE_COMMIT=durable) writes a charged record at once, and the answer's end waits
 * for that commit (ctx.recorded; hold-until-recorded.ts).
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
  let shortfall = 0n;
  if (model && result.costSource !== "none") {
    cost = costOf(model, result.promptTokens, result.completionTokens, result);
    // One exception, where nobody billed anything known: the gateway itself cut a stream at
    // the budget (the upstream went past the cap it was sent) and no usage came. The cut is
    // placed where the reservation ends, so the gateway's own count of the text is held to it.
    if (
      reservation?.capped &&
      result.cutAtLimit &&
      result.costSource === "estimate" &&
      cost > reservation.amount
    )
      cost = reservation.amount;
    if (reservation && cost > reservation.amount) shortfall = cost - reservation.amount;
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
    shortfall,
    costSource: result.costSource,
    latencyMs,
    upstreamMs: ctx.upstreamStartedAt === null ? null : now - ctx.upstreamStartedAt,
    deploymentId: ctx.deploymentId,
    // A non-stream answer is recorded before the attempt loop has timed it: its whole time.
    ttfbMs:
      ctx.ttfbMs ??
      (ctx.deploymentId !== null && ctx.upstreamStartedAt !== null
        ? now - ctx.upstreamStartedAt
        : null),
    attempts: ctx.attempts,
    ...clientOf(ctx),
    at: new Date(now),
  };

  deps.log({
    level: result.status >= 500 ? "error" : result.status >= 400 ? "warn" : "info",
    msg: "v1 request",
    request_id: ctx.requestId,
    ...traceFields(ctx),
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
    ...(shortfall > 0n ? { shortfall_micros: shortfall.toString() } : null),
    cost_source: result.costSource,
    latency_ms: latencyMs,
    ...(ctx.dropped ? { dropped: ctx.dropped } : {}),
    ...(ctx.attempts && ctx.attempts.length > 1 ? { attempts: ctx.attempts.length } : {}),
  });
  if (ctx.trace) endSpan(ctx, result, cost);

  // A refusal of a known key is counted for it (per minute, batched), whether or not the
  // key authenticated: revoked, paused and expired keys are refused before they do.
  const refusedKey = key?.id ?? ctx.refusedKeyId;
  if (refusedKey && result.errorCode && result.status >= 400)
    deps.refusals?.count(refusedKey, result.errorCode, now);

  // Unauthenticated requests are logged but not recorded: nobody to charge, and a flood
  // of bad keys must not turn into a flood of rows.
  if (!key) {
    ctx.onFinished?.();
    return;
  }

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
  if (ctx.balanceHold) {
    deps.balance.settle(ctx.balanceHold.owner, ctx.balanceHold.amount, cost);
    ctx.balanceHold = null;
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
  settleDeploymentTicket(deps, ctx, result.promptTokens + result.completionTokens);
  ctx.recorded = deps.usage.record(event, { spendSettled: reservation !== null });
  ctx.onFinished?.();
}

/** The request's span ends with what the log line says (tracing on only). */
function endSpan(ctx: RequestContext, result: RequestResult, cost: bigint): void {
  ctx.trace!.finish({
    status: result.status,
    errorCode: result.errorCode,
    endpoint: ctx.endpoint,
    requestedModel: ctx.fallbackFrom ?? ctx.modelName,
    responseModel: ctx.modelName,
    provider: ctx.providerName,
    streamed: ctx.streamed,
    keyId: ctx.key?.id ?? ctx.refusedKeyId,
    promptTokens: result.promptTokens,
    completionTokens: result.completionTokens,
    cachedInputTokens: result.cachedInputTokens ?? 0,
    cacheWriteTokens: result.cacheWriteTokens ?? 0,
    cost,
    costSource: result.costSource,
    attempts: ctx.attemptCount,
    deploymentId: ctx.deploymentId,
    ttfbMs: ctx.ttfbMs,
  });
}

/** Kept on the row for the request's detail; a User-Agent is the client's text, so it is capped. */
const USER_AGENT_MAX = 512;

function clientOf(ctx: RequestContext): { clientIp: string | null; userAgent: string | null } {
  if (!ctx.headers || !ctx.key) return { clientIp: null, userAgent: null };
  const ip = clientIpFromHeaders(ctx.headers);
  return {
    clientIp: ip === "unknown" ? null : ip.slice(0, 64),
    userAgent: ctx.headers["user-agent"]?.slice(0, USER_AGENT_MAX) ?? null,
  };
}
