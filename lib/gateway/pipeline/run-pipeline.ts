import { ApiError } from "@/lib/http/errors";
import type { GatewayDeps } from "../deps";
import { finishRequest, nothingCharged } from "../finish-request";
import { gatewayErrors } from "../gateway-error";
import { isPromise } from "../maybe-async";
import { readBody } from "../read-body";
import type { RequestContext } from "../request-context";
import { reserveBudget } from "../reserve-budget";
import type { GatewayRequest, GatewayResponse, KeyRecord } from "../types";
import { findModel } from "./find-model";
import type { ParsedRequest, Protocol } from "./protocol";

/**
 * One `/v1` request of any protocol, after authentication (gateway.ts, shared by all):
 *
 *   body (size cap) → protocol.parse → model + access (kind) → balance → reserve budget
 *   → protocol's provider call and answer → settle + record (finishRequest) → metrics/log
 *
 * Every exit after the reservation settles it exactly once: the protocol's own settlement
 * on success or stream end, or here, free, when it throws.
 */
export async function runPipeline<Body extends ParsedRequest>(
  deps: GatewayDeps,
  request: GatewayRequest,
  ctx: RequestContext,
  key: KeyRecord,
  protocol: Protocol<Body>,
): Promise<GatewayResponse> {
  const body = protocol.parse(await readBody(request, deps.config.maxBodyBytes));
  ctx.modelName = body.model;
  ctx.streamed = body.stream === true;

  const model = await findModel(deps, body.model, protocol.serves, protocol.path);
  ctx.model = model;
  const prepared = protocol.prepare(body, model, ctx);

  const owner = key.teamId ? ({ kind: "team", teamId: key.teamId } as const) : ({ kind: "user", userId: key.createdBy } as const);
  const allowed = deps.balance.canSpend(owner, new Date(deps.clock()));
  if (!(isPromise(allowed) ? await allowed : allowed)) throw gatewayErrors.insufficientBalance();

  const outputCap = prepared.producesOutput ? Math.min(prepared.clientMaxTokens ?? model.maxOutputTokens, model.maxOutputTokens) : 0;
  let maxTokens = outputCap;
  let cutAfterTokens: number | null = null;
  if (key.spendingLimit !== null) {
    const planned = reserveBudget(deps.budget, key.id, model, prepared.promptTokens, outputCap, prepared.n, deps.config.reservationWaitMs, deps.clock);
    const plan = isPromise(planned) ? await planned : planned;
    ctx.reservation = plan.reservation;
    if (prepared.producesOutput) {
      maxTokens = plan.maxTokens;
      cutAfterTokens = plan.cutAfterTokens;
    } else if (plan.reservation?.capped) {
      // Nothing to shorten when there is no output: what the budget cannot pay is refused.
      finishRequest(deps, ctx, nothingCharged(429, "limit_reached"));
      throw gatewayErrors.limitReached("What is left of this API key's spending limit does not cover this request's input.");
    }
  }

  // From here on the reservation is held: every path must end in finishRequest.
  try {
    return await prepared.forward({ deps, request, ctx, model, maxTokens, cutAfterTokens });
  } catch (error) {
    const apiError = error instanceof ApiError ? error : null;
    finishRequest(deps, ctx, nothingCharged(apiError?.status ?? (request.signal.aborted ? 499 : 500), apiError?.code ?? null));
    throw error;
  }
}
