import type { Owner } from "@/lib/billing/balance";
import { affordableOutputTokens, costOf } from "@/lib/billing/pricing";
import { ApiError } from "@/lib/errors/api-error";
import type { GatewayDeps } from "../deps";
import { finishRequest, nothingCharged } from "./finish-request";
import { gatewayErrors } from "../gateway-error";
import { GraceSignal } from "./grace-signal";
import { checkModelAllowed } from "./key-rules";
import { periodOfRequest } from "./period-of-request";
import { admitRequest } from "./admit";
import { isPromise } from "../maybe-async";
import { readBody } from "./read-body";
import type { RequestContext } from "../request-context";
import { reserveBudget, type ReservationPlan } from "./reserve-budget";
import { capWithinBudget, requestedCap, tokensToReserve, type TokenCap } from "./token-cap";
import type { GatewayRequest, GatewayResponse, KeyRecord, ResolvedModel } from "../types";
import { providerFor } from "../providers/registry";
import { choosePath } from "./choose-path";
import { runAttempts, type Budgeted } from "./attempts/attempt-loop";
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
  const raw = await readBody(request, deps.config.maxBodyBytes);
  ctx.capture?.noteRequest(raw);
  const body = protocol.parse(raw);
  ctx.modelName = body.model;
  ctx.streamed = body.stream === true;
  checkModelAllowed(key, body.model);

  const found = findModel(deps, body.model, protocol.serves, protocol.path);
  const model = isPromise(found) ? await found : found;
  const provider = providerFor(model);
  ctx.model = model;
  ctx.providerName = provider.telemetryName;
  const route = choosePath(provider, protocol, model);
  provider.checkRequest?.(protocol.name, body);
  const preparing = protocol.prepare(body, model, ctx, deps, route);
  const prepared = isPromise(preparing) ? await preparing : preparing;
  const cap = prepared.capRequest ? requestedCap(prepared.capRequest, model) : NO_CAP;
  const admitted = admitRequest(
    deps,
    ctx,
    key,
    () => prepared.prompt.reserve(),
    prepared.capRequest ? (cap.tokens === null ? null : cap.tokens * prepared.n) : 0,
  );
  if (isPromise(admitted)) await admitted;

  const owner = key.teamId
    ? ({ kind: "team", teamId: key.teamId } as const)
    : ({ kind: "user", userId: key.createdBy } as const);
  const allowed = deps.balance.canSpend(owner, new Date(deps.clock()));
  if (!(isPromise(allowed) ? await allowed : allowed)) throw gatewayErrors.insufficientBalance();

  const reserve = (target: ResolvedModel, plan: Prepared) =>
    budgetFor(deps, ctx, key, owner, target, plan);
  const first = reserve(model, prepared);
  const budgeted = isPromise(first) ? await first : first;

  // From here on the reservation is held: every path must end in finishRequest.
  const grace = ctx.streamed ? null : new GraceSignal(request.signal, deps.config.abortGraceMs);
  try {
    return await runAttempts({
      deps,
      request,
      ctx,
      key,
      body,
      protocol,
      model,
      prepared,
      budgeted,
      reserve: async (target, plan) => reserve(target, plan),
      signal: grace ?? request.signal,
    });
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

/**
 * The token cap for a model and what it holds at that model's prices: with overage off, the
 * owner's balance (issue 26: a burst of parallel requests cannot spend past it); for a key
 * with a spending limit, its budget. Either, when the smaller, lowers the cap. Called again
 * by the attempt loop when a fallback with other prices answers (after releasing both).
 */
function budgetFor(
  deps: GatewayDeps,
  ctx: RequestContext,
  key: KeyRecord,
  owner: Owner,
  model: ResolvedModel,
  prepared: Prepared,
): Budgeted | Promise<Budgeted> {
  let cap = prepared.capRequest ? requestedCap(prepared.capRequest, model) : NO_CAP;
  let outputTokens = prepared.capRequest ? tokensToReserve(cap) : 0;
  let balanceBinds = false;
  const held = deps.balance.reserve(owner, () => {
    const prompt = prepared.prompt.reserve();
    return {
      wanted: costOf(model, prompt, outputTokens * prepared.n),
      minimum: costOf(model, prompt, outputTokens > 0 ? prepared.n : 0),
    };
  });
  if (held === 0n) throw gatewayErrors.insufficientBalance();
  if (held !== null) {
    ctx.balanceHold = { owner, amount: held };
    const affordable = affordableOutputTokens(model, prepared.prompt.reserve(), held);
    const perChoice = Math.max(1, Math.floor(affordable / prepared.n));
    if (prepared.capRequest && perChoice < outputTokens) {
      outputTokens = perChoice;
      balanceBinds = true;
    }
  }
  let cutAfterDeltas: number | null = null;
  if (balanceBinds) ({ cap, cutAfterDeltas } = capWithinBudget(cap, model, outputTokens, true));
  if (key.spendingLimit === null) return { cap, cutAfterDeltas };
  const planned = reserveBudget(
    deps.budget,
    key.id,
    model,
    prepared.prompt.reserve(),
    outputTokens,
    prepared.n,
    deps.config.reservationWaitMs,
    deps.clock,
    periodOfRequest(key, ctx.startedAt),
    prepared.prompt.unknown() ? key.spendingLimit : null,
  );
  const apply = (plan: ReservationPlan): Budgeted => {
    ctx.reservation = plan.reservation;
    if (prepared.capRequest)
      return capWithinBudget(cap, model, plan.maxTokens, plan.budgetBinds || balanceBinds);
    if (plan.budgetBinds) {
      // Nothing to shorten when there is no output: what the budget cannot pay is refused.
      finishRequest(deps, ctx, nothingCharged(429, "limit_reached"));
      throw gatewayErrors.limitReached(
        "What is left of this API key's spending limit does not cover this request's input.",
      );
    }
    return { cap, cutAfterDeltas };
  };
  return isPromise(planned) ? planned.then(apply) : apply(planned);
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
    promptTokens = prepared.prompt.reserve();
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
