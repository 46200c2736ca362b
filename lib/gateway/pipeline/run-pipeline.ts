import { ApiError } from "@/lib/http/errors";
import type { GatewayDeps } from "../deps";
import { finishRequest, nothingCharged } from "../finish-request";
import { gatewayErrors } from "../gateway-error";
import { GraceSignal } from "../grace-signal";
import { checkModelAllowed } from "../key-rules";
import { periodOfRequest } from "../period-of-request";
import { admitRequest } from "../rate-limit/admit";
import { isPromise } from "../maybe-async";
import { readBody } from "../read-body";
import type { RequestContext } from "../request-context";
import { reserveBudget } from "../reserve-budget";
import { capWithinBudget, requestedCap, tokensToReserve, type TokenCap } from "../token-cap";
import type { GatewayRequest, GatewayResponse, KeyRecord } from "../types";
import { findModel } from "./find-model";
import type { ParsedRequest, Prepared, Protocol } from "./protocol";

/** No output, no cap: what embeddings carry. */
const NO_CAP: TokenCap = { field: null, tokens: null };

/**
 * One `/v1` request of any protocol, after authentication (gateway.ts, shared by all):
 *
 *   body (size cap) → protocol.parse → model + access (kind) → balance → token cap and
 *   reservation → protocol's provider call and answer → settle + record (finishRequest:
 *   the usage row, metrics through the sink, the log line)
 *
 * Every exit after the reservation settles it exactly once: the protocol's own settlement
 * on success or stream end, or here when it throws (free, or the prompt when a non-stream
 * client left and the upstream had it).
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
  checkModelAllowed(key, body.model);

  const found = findModel(deps, body.model, protocol.serves, protocol.path);
  const model = isPromise(found) ? await found : found;
  ctx.model = model;
  const prepared = protocol.prepare(body, model, ctx);
  const admitted = admitRequest(deps, ctx, key, prepared.promptTokens);
  if (isPromise(admitted)) await admitted;

  const owner = key.teamId
    ? ({ kind: "team", teamId: key.teamId } as const)
    : ({ kind: "user", userId: key.createdBy } as const);
  const allowed = deps.balance.canSpend(owner, new Date(deps.clock()));
  if (!(isPromise(allowed) ? await allowed : allowed)) throw gatewayErrors.insufficientBalance();

  let cap = prepared.capRequest ? requestedCap(prepared.capRequest, model) : NO_CAP;
  let cutAfterDeltas: number | null = null;
  if (key.spendingLimit !== null) {
    const outputTokens = prepared.capRequest ? tokensToReserve(cap) : 0;
    const planned = reserveBudget(
      deps.budget,
      key.id,
      model,
      prepared.promptTokens,
      outputTokens,
      prepared.n,
      deps.config.reservationWaitMs,
      deps.clock,
      periodOfRequest(key, ctx.startedAt),
    );
    const plan = isPromise(planned) ? await planned : planned;
    ctx.reservation = plan.reservation;
    if (prepared.capRequest)
      ({ cap, cutAfterDeltas } = capWithinBudget(cap, model, plan.maxTokens, plan.budgetBinds));
    else if (plan.budgetBinds) {
      // Nothing to shorten when there is no output: what the budget cannot pay is refused.
      finishRequest(deps, ctx, nothingCharged(429, "limit_reached"));
      throw gatewayErrors.limitReached(
        "What is left of this API key's spending limit does not cover this request's input.",
      );
    }
  }

  // From here on the reservation is held: every path must end in finishRequest.
  const grace = ctx.streamed ? null : new GraceSignal(request.signal, deps.config.abortGraceMs);
  try {
    const answer = prepared.forward({
      deps,
      request,
      ctx,
      model,
      cap,
      cutAfterDeltas,
      signal: grace ?? request.signal,
    });
    return isPromise(answer) ? await answer : answer;
  } catch (error) {
    const apiError = error instanceof ApiError ? error : null;
    // Gone before the answer came: the upstream read the prompt, so its estimate is charged.
    if (grace && request.signal.aborted && apiError?.status === 499)
      await chargeAbandoned(deps, ctx, prepared);
    else
      finishRequest(
        deps,
        ctx,
        nothingCharged(
          apiError?.status ?? (request.signal.aborted ? 499 : 500),
          apiError?.code ?? null,
        ),
      );
    throw error;
  } finally {
    grace?.dispose();
  }
}

async function chargeAbandoned(
  deps: GatewayDeps,
  ctx: RequestContext,
  prepared: Prepared,
): Promise<void> {
  let promptTokens: number;
  try {
    promptTokens = await prepared.estimatePrompt();
  } catch {
    promptTokens = prepared.promptTokens;
  }
  finishRequest(deps, ctx, {
    status: 499,
    errorCode: "client_closed",
    promptTokens,
    completionTokens: 0,
    costSource: "estimate",
    cutAtLimit: false,
  });
}
