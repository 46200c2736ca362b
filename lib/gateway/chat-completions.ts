import { ApiError } from "@/lib/http/errors";
import { parseChatRequest, type ChatCompletionRequest } from "./chat-request";
import type { GatewayDeps } from "./deps";
import { echoResponse } from "./echo-model";
import { finishRequest, nothingCharged } from "./finish-request";
import { upstreamHeaders } from "./forward-headers";
import { gatewayErrors } from "./gateway-error";
import { isPromise } from "./maybe-async";
import { readBody } from "./read-body";
import type { RequestContext } from "./request-context";
import { reserveBudget } from "./reserve-budget";
import { readResponseShape, type ResponseShape } from "./response-usage";
import { relaySse, type StreamOutcome } from "./sse-relay";
import { countTokens, estimatePromptTokens, quickPromptTokens } from "./token-estimate";
import type { GatewayRequest, GatewayResponse, KeyRecord } from "./types";
import { isAbort, readAll, upstreamFailure, type UpstreamResponse } from "./upstream-client";
import { mapUpstreamStatus } from "./upstream-error";
import { chatViaAnthropic } from "./providers/anthropic/chat-via-anthropic";

/**
 * POST /v1/chat/completions for an authenticated key: parse, resolve the model, check the
 * owner's balance, reserve budget, forward (or answer with the echo model), then relay
 * the answer and settle. Every exit after the reservation settles it (finishRequest).
 */
export async function chatCompletions(deps: GatewayDeps, request: GatewayRequest, ctx: RequestContext, key: KeyRecord): Promise<GatewayResponse> {
  const body = parseChatRequest(await readBody(request, deps.config.maxBodyBytes));
  ctx.modelName = body.model;
  ctx.streamed = body.stream === true;

  const found = deps.models.get(body.model);
  const model = isPromise(found) ? await found : found;
  if (!model) throw gatewayErrors.modelNotFound(body.model);
  ctx.model = model;

  const owner = key.teamId ? ({ kind: "team", teamId: key.teamId } as const) : ({ kind: "user", userId: key.createdBy } as const);
  const allowed = deps.balance.canSpend(owner, new Date(deps.clock()));
  if (!(isPromise(allowed) ? await allowed : allowed)) throw gatewayErrors.insufficientBalance();

  const n = body.n ?? 1;
  const promptEstimate = quickPromptTokens(body as { messages: unknown[]; tools?: unknown });
  const clientMax = body.max_completion_tokens ?? body.max_tokens ?? null;
  let maxTokens = Math.min(clientMax ?? model.maxOutputTokens, model.maxOutputTokens);
  let cutAfterTokens: number | null = null;
  if (key.spendingLimit !== null) {
    const planned = reserveBudget(deps.budget, key.id, model, promptEstimate, maxTokens, n, deps.config.reservationWaitMs, deps.clock);
    const plan = isPromise(planned) ? await planned : planned;
    ctx.reservation = plan.reservation;
    maxTokens = plan.maxTokens;
    cutAfterTokens = plan.cutAfterTokens;
  }

  // From here on the reservation is held: every path must end in finishRequest.
  try {
    return await forward(deps, request, ctx, body, maxTokens, cutAfterTokens);
  } catch (error) {
    const apiError = error instanceof ApiError ? error : null;
    finishRequest(deps, ctx, nothingCharged(apiError?.status ?? (request.signal.aborted ? 499 : 500), apiError?.code ?? null));
    throw error;
  }
}

async function forward(
  deps: GatewayDeps,
  request: GatewayRequest,
  ctx: RequestContext,
  body: ChatCompletionRequest,
  maxTokens: number,
  cutAfterTokens: number | null,
): Promise<GatewayResponse> {
  const model = ctx.model!;
  if (model.provider === "anthropic" && model.kind === "http") return chatViaAnthropic(deps, request, ctx, body, maxTokens, cutAfterTokens);
  const stream = body.stream === true;
  const clientWantsUsage = body.stream_options?.include_usage === true;

  // Unknown fields pass through untouched; only model, the token cap and (for streams)
  // include_usage are the gateway's to set.
  const upstreamBody: Record<string, unknown> = { ...body, model: model.upstreamModel };
  if (body.max_completion_tokens != null) upstreamBody.max_completion_tokens = maxTokens;
  else upstreamBody.max_tokens = maxTokens;
  if (stream) upstreamBody.stream_options = { ...(body.stream_options ?? {}), include_usage: true };

  // The client's own signal aborts the upstream (no second, chained controller: it was ~2%
  // of the gateway's CPU under load in the bench's profile, and added nothing).

  ctx.upstreamStartedAt = deps.clock();
  let response: UpstreamResponse;
  try {
    response =
      model.kind === "builtin-echo"
        ? // The demo model is ours: it answers under its public name, as clients asked for it.
          await echoResponse({ ...upstreamBody, model: model.name } as never, { paceMs: deps.config.echoPaceMs, signal: request.signal })
        : await deps.upstream.send({
            url: `${model.baseUrl}/chat/completions`,
            headers: upstreamHeaders(request.headers, { apiKey: model.apiKey, requestId: ctx.requestId, stream }),
            body: JSON.stringify(upstreamBody),
            signal: request.signal,
            connectTimeoutMs: model.connectTimeoutMs,
            firstByteTimeoutMs: model.firstByteTimeoutMs,
            idleTimeoutMs: model.idleTimeoutMs,
          });
  } catch (error) {
    if (request.signal.aborted || isAbort(error)) throw new ApiError(499, "client_closed", "The client closed the request.");
    throw upstreamFailure(error);
  }

  if (response.status < 200 || response.status >= 300) {
    let text = "";
    try {
      text = (await readAll(response.body, 64 * 1024)).toString("utf8");
    } catch {
      response.discard();
    }
    throw mapUpstreamStatus(response.status, text);
  }

  const headers = { "x-request-id": ctx.requestId };
  if (!stream) return nonStream(deps, request, ctx, body, response, headers);

  const relay = relaySse(response, {
    clientWantsUsage,
    cutAfterTokens,
    signal: request.signal,
    onEnd: (outcome) => deps.track(settleStream(deps, ctx, body, outcome)),
  });
  return {
    status: 200,
    headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no" },
    body: relay,
  };
}

async function nonStream(
  deps: GatewayDeps,
  request: GatewayRequest,
  ctx: RequestContext,
  body: ChatCompletionRequest,
  response: UpstreamResponse,
  headers: Record<string, string>,
): Promise<GatewayResponse> {
  let raw: Buffer;
  try {
    raw = await readAll(response.body, deps.config.maxUpstreamResponseBytes);
  } catch (error) {
    if (request.signal.aborted || isAbort(error)) throw new ApiError(499, "client_closed", "The client closed the request.");
    throw upstreamFailure(error);
  }
  let shape: ResponseShape;
  try {
    shape = readResponseShape(raw.toString("utf8"));
  } catch {
    throw gatewayErrors.upstreamError("The model server sent a response that is not JSON.");
  }
  if (shape.usage) {
    finishRequest(deps, ctx, { status: 200, errorCode: null, ...shape.usage, costSource: "upstream", cutAtLimit: shape.hitLength });
  } else {
    const [promptTokens, completionTokens] = await Promise.all([estimatePromptTokens(body.messages), countTokens(shape.text)]);
    finishRequest(deps, ctx, { status: 200, errorCode: null, promptTokens, completionTokens, costSource: "estimate", cutAtLimit: shape.hitLength });
  }
  // The upstream's bytes as they came: no re-serialisation on the way back.
  return { status: 200, headers: { ...headers, "content-type": "application/json" }, body: raw };
}

async function settleStream(deps: GatewayDeps, ctx: RequestContext, body: ChatCompletionRequest, outcome: StreamOutcome): Promise<void> {
  const errorCode = outcome.error?.code ?? (outcome.status === 499 ? "client_closed" : null);
  if (outcome.usage) {
    finishRequest(deps, ctx, {
      status: outcome.status,
      errorCode,
      promptTokens: outcome.usage.promptTokens,
      completionTokens: outcome.usage.completionTokens,
      costSource: "upstream",
      cutAtLimit: outcome.cut || outcome.hitLength,
    });
    return;
  }
  if (!outcome.produced) {
    // Nothing came out (upstream failed first, or the client left before any token): free.
    finishRequest(deps, ctx, nothingCharged(outcome.status, errorCode));
    return;
  }
  try {
    const [promptTokens, completionTokens] = await Promise.all([estimatePromptTokens(body.messages), countTokens(outcome.completionText)]);
    finishRequest(deps, ctx, {
      status: outcome.status,
      errorCode,
      promptTokens,
      completionTokens,
      costSource: "estimate",
      cutAtLimit: outcome.cut || outcome.hitLength,
    });
  } catch {
    finishRequest(deps, ctx, nothingCharged(outcome.status, errorCode));
  }
}
