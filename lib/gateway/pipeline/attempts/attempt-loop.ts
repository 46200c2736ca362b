import type { UsageAttempt } from "@/db/schema/usage";
import { ApiError } from "@/lib/errors/api-error";
import type { ClientSignal } from "../../client-signal";
import type { GatewayDeps } from "../../deps";
import { isPromise } from "../../maybe-async";
import { clientClosed } from "../../providers/send-upstream";
import type { RequestContext } from "../../request-context";
import type { TokenCap } from "../token-cap";
import type { GatewayRequest, GatewayResponse, KeyRecord, ResolvedModel } from "../../types";
import type { ParsedRequest, Prepared, Protocol } from "../protocol";
import { failureOf } from "../../relay/attempt-failure";
import { backoffMs } from "./backoff";
import { classifyOutcome } from "./classify-outcome";
import { candidate, loadOf, pickDeployment, type Candidate } from "./pick-deployment";
import { answerAs } from "./answer-as";
import { admitToDeployment, settleDeploymentTicket } from "./deployment-limits";
import { DeadlineSignal } from "./deadline-signal";
import { gatewayErrors } from "../../gateway-error";
import { deploymentOf, providerFor } from "../../providers/registry";
import { choosePath } from "../choose-path";

/** How a model's provider is reached for this protocol (a fallback or deployment may differ). */
const routeOf = <Body extends ParsedRequest>(protocol: Protocol<Body>, model: ResolvedModel) =>
  choosePath(providerFor(model), protocol, model);

export interface Budgeted {
  cap: TokenCap;
  cutAfterDeltas: number | null;
}

export interface AttemptInput<Body extends ParsedRequest> {
  deps: GatewayDeps;
  request: GatewayRequest;
  ctx: RequestContext;
  key: KeyRecord;
  body: Body;
  protocol: Protocol<Body>;
  /** The model asked for, prepared and reserved for by the pipeline. */
  model: ResolvedModel;
  prepared: Prepared;
  budgeted: Budgeted;
  /** Reserves the key's budget for another model (a fallback) at its prices. */
  reserve(model: ResolvedModel, prepared: Prepared): Promise<Budgeted>;
  signal: ClientSignal;
}

/**
 * The one attempt loop (PRODUCT.md "Routing"), for every protocol: picks a deployment of the
 * model asked for (priority tier, then strategy), sends, and on failure asks the one outcome
 * table what next — another deployment, the same one after a backoff or its Retry-After,
 * the fallbacks (only larger ones after a context-length refusal), or the client gets the
 * error. Each outcome goes to the deployment's shared breaker. The answer names the model
 * that answered and how many attempts it took; the key is charged by the attempt that
 * answered, at its model's prices (ctx.model is that model when the answer settles).
 */
export async function runAttempts<Body extends ParsedRequest>(
  input: AttemptInput<Body>,
): Promise<GatewayResponse> {
  const { deps, request, ctx, key, model } = input;
  const breakers = deps.breakers;
  const load = loadOf(deps.deploymentLoad);
  const timeoutMs = model.routing?.timeoutMs ?? null;
  const deadline = timeoutMs === null ? null : ctx.startedAt + timeoutMs;
  const candidates: Candidate[] = [candidate(model)];
  let fallbacksLoaded = (model.fallbacks ?? []).length === 0;
  let reservedFor = model;
  let prepared = input.prepared;
  let preparedFor = model;
  let budgeted = input.budgeted;
  let lastError: unknown = null;
  let minContext: number | null = null;
  /** Some deployment was skipped at its own rate limit (named in the 503 when nothing is left). */
  let atLimit = false;

  for (;;) {
    if (request.signal.aborted) throw clientClosed();
    const now = deps.clock();
    if (deadline !== null && now >= deadline) throw deadlinePassed(model.name, timeoutMs!);
    let pick: ReturnType<typeof pickDeployment> | null = null;
    let chosen: Candidate | null = null;
    let backoffAt: number | null = null;
    let reopensAt: number | null = null;
    for (let i = 0; ; i++) {
      if (i === candidates.length) {
        if (fallbacksLoaded) break;
        fallbacksLoaded = true;
        candidates.push(...(await loadFallbacks(deps, model, key)));
        if (i === candidates.length) break;
      }
      const c = candidates[i];
      if (c.exhausted) continue;
      if (minContext !== null && (c.model.contextWindow ?? 0) <= minContext) {
        c.exhausted = true;
        continue;
      }
      if (c.attempts >= (c.model.routing?.maxAttempts ?? 3)) {
        c.exhausted = true;
        continue;
      }
      const p = pickDeployment(c, breakers, now, load);
      if (p.kind === "try") {
        const admitting = admitToDeployment(
          deps,
          ctx,
          p.deployment,
          () => prepared.prompt.reserve(),
          outputCapOf(prepared, budgeted),
        );
        const limitWait = isPromise(admitting) ? await admitting : admitting;
        if (limitWait !== null) {
          // At its own requests/tokens per minute: another deployment, or wait as for a breaker.
          (c.limitedUntil ??= new Map()).set(p.deployment.id, now + limitWait);
          atLimit = true;
          i--;
          continue;
        }
        if (p.probe && !(await breakers!.claimProbe(p.deployment.id, now))) {
          // Another process probes it: not ours to try now (its minute keeps the request counted).
          settleDeploymentTicket(deps, ctx, 0);
          (c.notBefore ??= new Map()).set(p.deployment.id, now + 1_000);
          i--;
          continue;
        }
        pick = p;
        chosen = c;
        break;
      }
      if (p.backoffAt === null && p.reopensAt === null) {
        c.exhausted = true;
        continue;
      }
      if (p.backoffAt !== null) backoffAt = Math.min(backoffAt ?? Infinity, p.backoffAt);
      if (p.reopensAt !== null) reopensAt = Math.min(reopensAt ?? Infinity, p.reopensAt);
    }

    if (!pick || pick.kind !== "try" || !chosen) {
      // Nothing to try now: wait for a backoff to pass (short, capped at 8 s); for a breaker
      // to reopen only within the request's deadline.
      const wake = Math.min(
        backoffAt ?? Infinity,
        deadline !== null && reopensAt !== null ? reopensAt : Infinity,
      );
      if (Number.isFinite(wake) && (deadline === null || wake <= deadline)) {
        await sleep(Math.max(1, wake - now), request.signal);
        continue;
      }
      if (lastError) throw lastError;
      throw noHealthyDeployment(
        model.name,
        reopensAt === null ? 5 : (reopensAt - now) / 1000,
        atLimit,
      );
    }

    const { deployment, probe } = pick;
    const answering = chosen.model;
    if (answering !== reservedFor) {
      // A fallback: its own prices for the reservation, its own cap and shape.
      if (answering !== preparedFor) {
        const preparing = input.protocol.prepare(
          input.body,
          answering,
          ctx,
          deps,
          routeOf(input.protocol, answering),
        );
        prepared = isPromise(preparing) ? await preparing : preparing;
        preparedFor = answering;
      }
      releaseReservation(deps, ctx);
      budgeted = await input.reserve(answering, prepared);
      reservedFor = answering;
    }
    // The deployment's view decides the provider call; re-prepared when its provider differs.
    const view = deployment.model;
    let forward = prepared.forward;
    if (view.provider !== preparedFor.provider || view.kind !== preparedFor.kind) {
      const preparing = input.protocol.prepare(
        input.body,
        view,
        ctx,
        deps,
        routeOf(input.protocol, view),
      );
      forward = (isPromise(preparing) ? await preparing : preparing).forward;
    }
    ctx.model = view;
    ctx.providerName = providerFor(view).telemetryName;
    ctx.modelName = answering.name;
    ctx.attemptCount++;
    chosen.attempts++;
    if (ctx.trace) traceAttempt(ctx, deployment.id, view, answering !== model);
    const started = deps.clock();
    load.started(deployment.id);
    // Set before the call: a non-stream answer is recorded inside it.
    ctx.deploymentId = deployment.id;
    ctx.ttfbMs = null;
    // The request's deadline aborts this attempt's upstream call if it is still waiting then.
    const attemptSignal =
      deadline === null ? null : new DeadlineSignal(input.signal, deadline - deps.clock());
    try {
      const answered = forward({
        deps,
        request,
        ctx,
        model: view,
        deployment: deploymentOf(view),
        cap: budgeted.cap,
        cutAfterDeltas: budgeted.cutAfterDeltas,
        signal: attemptSignal ?? input.signal,
      });
      const answer = isPromise(answered) ? await answered : answered;
      attemptSignal?.disarm();
      const ttfb = deps.clock() - started;
      load.ended(deployment.id, ttfb);
      ctx.deploymentId = deployment.id;
      ctx.ttfbMs = ttfb;
      if (ctx.attempts) noteAttempt(ctx, deployment.id, answering.name, "ok", 200, ttfb);
      if (breakers && (probe || breakers.state(deployment.id)))
        deps.track(breakers.success(deployment.id, deps.clock()));
      if (answering !== model) ctx.fallbackFrom = model.name;
      return answerAs(answer, ctx, view);
    } catch (error) {
      load.ended(deployment.id, null);
      attemptSignal?.dispose();
      if (attemptSignal?.timedOut && !ctx.finished && !request.signal.aborted) {
        // Aborted at the deadline (the upstream call with it): not the deployment's failure.
        ctx.deploymentId = null;
        noteAttempt(ctx, deployment.id, answering.name, "deadline", null, null);
        settleDeploymentTicket(deps, ctx, 0);
        throw deadlinePassed(model.name, timeoutMs!);
      }
      const failure = failureOf(error);
      // Our own refusals (a translation, a shape) and a settled answer are not the upstream's.
      if (!failure || ctx.finished || request.signal.aborted) throw error;
      // A failed attempt used no tokens of its deployment's minute (its request stays counted).
      settleDeploymentTicket(deps, ctx, 0);
      const decision = classifyOutcome(failure);
      ctx.deploymentId = null;
      // The upstream's own status when it answered one (a 503 is a 503, not our 502).
      const status =
        failure.kind === "status"
          ? failure.status
          : error instanceof ApiError
            ? error.status
            : null;
      ctx.attempts ??= [];
      noteAttempt(ctx, deployment.id, answering.name, decision.outcome, status, null);
      ctx.trace?.failAttempt(
        decision.outcome,
        status,
        error instanceof ApiError ? error.code : null,
        decision.action,
      );
      lastError = error;
      if (breakers && decision.breaker !== "none") {
        await breakers
          .failure(
            deployment.id,
            {
              kind: decision.breaker,
              retryAfterMs: failure.kind === "status" ? failure.retryAfterMs : null,
              error: `${decision.outcome}${status ? ` (${status})` : ""}: ${(error as Error).message}`,
              probe,
            },
            deps.clock(),
          )
          .catch((storeError: unknown) =>
            deps.log({ level: "error", msg: "breaker write failed", error: String(storeError) }),
          );
      }
      if (decision.action === "fail" || decision.action === "stop") throw error;
      if (decision.action === "larger-context") {
        minContext = Math.max(minContext ?? 0, answering.contextWindow ?? 0);
        chosen.exhausted = true;
        continue;
      }
      const failures = (chosen.failures?.get(deployment.id) ?? 0) + 1;
      (chosen.failures ??= new Map()).set(deployment.id, failures);
      if (decision.sameAgain === "never") (chosen.excluded ??= new Set()).add(deployment.id);
      else
        (chosen.notBefore ??= new Map()).set(
          deployment.id,
          deps.clock() +
            (decision.sameAgain === "backoff" ? backoffMs(failures - 1) : decision.sameAgain),
        );
      // A Retry-After past the deadline: this model is done; the fallbacks go on.
      if (
        typeof decision.sameAgain === "number" &&
        deadline !== null &&
        deps.clock() + decision.sameAgain > deadline
      )
        (chosen.excluded ??= new Set()).add(deployment.id);
    }
  }
}

/** The attempt's span (tracing on): where it goes, under the request's span. */
function traceAttempt(
  ctx: RequestContext,
  deploymentId: string,
  view: ResolvedModel,
  fallback: boolean,
): void {
  const deployment = deploymentOf(view);
  ctx.trace!.startAttempt({
    index: ctx.attemptCount,
    deploymentId,
    provider: providerFor(view).telemetryName,
    upstreamModel: deployment.upstreamModel,
    baseUrl: deployment.baseUrl,
    modelName: ctx.modelName,
    fallback,
  });
}

function noteAttempt(
  ctx: RequestContext,
  deployment: string,
  model: string,
  outcome: string,
  status: number | null,
  ttfbMs: number | null,
): void {
  const attempt: UsageAttempt = {
    deployment,
    model,
    outcome,
    status,
    ttfbMs,
    promptTokens: 0,
    completionTokens: 0,
  };
  (ctx.attempts ??= []).push(attempt);
}

/** Fallbacks of the same kind, enabled, that the key may use, in the order given. */
async function loadFallbacks(
  deps: GatewayDeps,
  model: ResolvedModel,
  key: KeyRecord,
): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const name of model.fallbacks ?? []) {
    if (name === model.name) continue;
    if (key.allowedModels && !key.allowedModels.has(name)) continue;
    const got = deps.models.get(name);
    const fallback = isPromise(got) ? await got : got;
    if (fallback && fallback.serves === model.serves) found.push(candidate(fallback));
  }
  return found;
}

/** The reservation made for one model goes back before reserving at another's prices. */
/** Before reserving at a fallback's prices: what the asked model held goes back, unspent. */
function releaseReservation(deps: GatewayDeps, ctx: RequestContext): void {
  const hold = ctx.balanceHold;
  if (hold) {
    ctx.balanceHold = null;
    deps.balance.settle(hold.owner, hold.amount, 0n);
  }
  const reservation = ctx.reservation;
  if (!reservation) return;
  ctx.reservation = null;
  deps.budget.settle(reservation.keyId, reservation.amount, 0n, reservation.periodStart);
}

/** What an attempt may use of its deployment's tokens per minute: the output cap (0: no output). */
function outputCapOf(prepared: Prepared, budgeted: Budgeted): number | null {
  if (!prepared.capRequest) return 0;
  return budgeted.cap.tokens === null ? null : budgeted.cap.tokens * prepared.n;
}

/** The model's routing.timeout_ms passed: the client gets the table's "upstream too slow". */
function deadlinePassed(name: string, timeoutMs: number): ApiError {
  return gatewayErrors.upstreamTimeout(
    `No deployment of the model '${name}' answered within its ${timeoutMs} ms deadline (routing.timeout_ms).`,
  );
}

function noHealthyDeployment(name: string, retryAfterSeconds: number, atLimit: boolean): ApiError {
  const why = atLimit
    ? "is cooling down or at its own requests/tokens-per-minute limit"
    : "is cooling down";
  return Object.assign(
    new ApiError(
      503,
      "no_healthy_deployment",
      `Every deployment of the model '${name}' and of its fallbacks ${why}; retry after the time in retry-after.`,
    ),
    { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) },
  );
}

function sleep(ms: number, signal: ClientSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
