import { loggableError } from "@/lib/errors/loggable-error";
import { AuthFailureLimiter, tooManyFailures } from "@/lib/http/auth-failure-limiter";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { ApiError } from "@/lib/errors/api-error";
import { authenticate } from "../pipeline/authenticate";
import type { GatewayDeps } from "../deps";
import type { RequestContext } from "../request-context";
import { finishRequest, nothingCharged } from "../pipeline/finish-request";
import { databaseUnavailableCode } from "../../errors/database-unavailable";
import { gatewayErrors, refusedKeyId } from "../gateway-error";
import { listModelsResponse } from "../protocols/models/list-models";
import { checkClientAddress } from "../pipeline/key-rules";
import { isPromise } from "../maybe-async";
import { peekRateHeaders, retryAfterOf } from "../pipeline/admit";
import { newContext } from "../request-context";
import { traceFields } from "../tracing/trace-fields";
import { tracedAnswer } from "../tracing/traced-answer";
import { anthropicCountTokens } from "../protocols/messages/count-tokens";
import { anthropicModelsResponse } from "../protocols/messages/list-models";
import { messagesProtocol } from "../protocols/messages/messages-protocol";
import { routingHeaders } from "../pipeline/attempts/answer-as";
import { newRequestId } from "@/lib/http/request-id";
import { toApiError } from "@/lib/errors/to-api-error";
import { errorJson } from "@/lib/errors/write-error";
import { runPipeline } from "../pipeline/run-pipeline";
import type { ParsedRequest, Protocol } from "../pipeline/protocol";
import { chatProtocol } from "../protocols/chat/chat-protocol";
import { completionsProtocol } from "../protocols/completions/completions-protocol";
import { embeddingsProtocol } from "../protocols/embeddings/embeddings-protocol";
import { responsesProtocol } from "../protocols/responses/responses-protocol";
import type { GatewayRequest, GatewayResponse, KeyRecord } from "../types";
import { geminiRoute, queryKey } from "../protocols/gemini/gemini-route";
import { geminiEndpoint, serveGemini } from "../protocols/gemini/serve-gemini";
import { geminiErrorBody } from "../translate/gemini/gemini-error";
import { modelRetrieveResponse } from "../protocols/models/model-retrieve";
import { limitReachedRetryAfter } from "../pipeline/limit-retry-after";
import { capturingResponse, PayloadCapture, safeHeaders } from "../relay/payload-capture";
import { holdEndUntilRecorded } from "../pipeline/hold-until-recorded";

/**
 * The gateway's entry: a GatewayRequest in, a GatewayResponse out. Routes `/v1`, gives
 * every response an `x-request-id`, and turns every failure into OpenAI's error envelope —
 * or, on Anthropic's routes, Anthropic's (with its `request-id` header).
 */
export type Gateway = (request: GatewayRequest) => Promise<GatewayResponse>;

const ROUTES: Record<
  string,
  { method: string; endpoint: string; protocol?: Protocol<ParsedRequest> }
> = {
  "/v1/chat/completions": {
    method: "POST",
    endpoint: chatProtocol.endpoint,
    protocol: chatProtocol as Protocol<ParsedRequest>,
  },
  "/v1/responses": {
    method: "POST",
    endpoint: responsesProtocol.endpoint,
    protocol: responsesProtocol as Protocol<ParsedRequest>,
  },
  "/v1/embeddings": {
    method: "POST",
    endpoint: embeddingsProtocol.endpoint,
    protocol: embeddingsProtocol as Protocol<ParsedRequest>,
  },
  "/v1/completions": {
    method: "POST",
    endpoint: completionsProtocol.endpoint,
    protocol: completionsProtocol as Protocol<ParsedRequest>,
  },
  "/v1/models": { method: "GET", endpoint: "models" },
  "/v1/messages": {
    method: "POST",
    endpoint: messagesProtocol.endpoint,
    protocol: messagesProtocol as Protocol<ParsedRequest>,
  },
  "/v1/messages/count_tokens": { method: "POST", endpoint: "messages.count_tokens" },
};

const ANTHROPIC_ENDPOINTS = new Set(["messages", "messages.count_tokens"]);

/**
 * Anthropic's clients send their key as x-api-key; Claude Code (ANTHROPIC_AUTH_TOKEN) as a
 * Bearer; Google's as x-goog-api-key, or `?key=` on the Gemini routes (the query string is
 * never logged, stored or echoed: only the path is ever recorded).
 */
function credentialOf(request: GatewayRequest, gemini: boolean): string | undefined {
  const headers = request.headers;
  if (headers.authorization) return headers.authorization;
  const apiKey =
    headers["x-api-key"] ??
    headers["x-goog-api-key"] ??
    (gemini ? queryKey(request.query ?? "") : null);
  return apiKey ? `Bearer ${apiKey.trim()}` : undefined;
}

/** GET /v1/models/{id}: OpenAI's (and Anthropic's) model retrieval. */
const MODEL_PATH = /^\/v1\/models\/(.+)$/;

export function createGateway(
  deps: GatewayDeps,
  authFailures = AuthFailureLimiter.fromEnv(),
): Gateway {
  const serve = async (request: GatewayRequest, box: { ctx?: RequestContext }) => {
    const requestId = newRequestId();
    const path = request.path.length > 1 ? request.path.replace(/\/+$/, "") : request.path;
    // Google's Gemini API (/v1beta, /v1alpha, and /v1/models/{model}:method): its own envelope.
    const gemini = geminiRoute(request, path);
    const modelId = gemini ? null : (MODEL_PATH.exec(path)?.[1] ?? null);
    const route = gemini
      ? { method: gemini.method ? "POST" : "GET", endpoint: geminiEndpoint(gemini) }
      : modelId
        ? { method: "GET", endpoint: "models.retrieve" }
        : ROUTES[path];
    const ctx = newContext(requestId, deps.clock(), route?.endpoint ?? "unknown");
    ctx.headers = request.headers;
    box.ctx = ctx;
    if (deps.tracer) ctx.trace = deps.tracer.startRequest(request, requestId, path, ctx.endpoint);
    // Anthropic's clients get Anthropic's envelope: on its routes (and paths under them, such
    // as message batches, which are not served), and on the model list when they ask for it.
    const anthropic =
      ANTHROPIC_ENDPOINTS.has(route?.endpoint ?? "") ||
      path.startsWith("/v1/messages/") ||
      ((route?.endpoint === "models" || route?.endpoint === "models.retrieve") &&
        Boolean(request.headers["anthropic-version"]));
    try {
      if (!route) {
        // The path as asked (bounded): an operator reading the log must see what was tried.
        ctx.path = path.slice(0, 256);
        throw gatewayErrors.notFound(path);
      }
      if (request.method !== route.method) throw gatewayErrors.methodNotAllowed(request.method);
      if (authFailures.anyBlocked) {
        const wait = authFailures.retryAfter(clientIpFromHeaders(request.headers));
        if (wait > 0) throw tooManyFailures(wait);
      }
      const authenticated = authenticate(
        credentialOf(request, gemini !== null),
        deps.keys,
        new Date(deps.clock()),
        deps.config.keyPrefixBase,
        deps.models.smallestRequestCost(),
      );
      const key = isPromise(authenticated) ? await authenticated : authenticated;
      // The address is resolved only for a key with an allowlist: most keys have none.
      if (key.ipRanges) checkClientAddress(key, clientIpFromHeaders(request.headers));
      ctx.key = key;
      if (key.payloadCapture && deps.payloads) startCapture(deps, ctx, key, request);
      if (!("protocol" in route) || !route.protocol) peekRateHeaders(deps, ctx, key);
      if (gemini)
        return withRateHeaders(await serveGemini(deps, request, ctx, key, gemini), ctx.rateHeaders);
      if (modelId) {
        const body = await modelRetrieveResponse(deps, key, decodeURIComponent(modelId), anthropic);
        finishRequest(deps, ctx, nothingCharged(200, null));
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "x-request-id": requestId,
        };
        if (anthropic) headers["request-id"] = requestId;
        return withRateHeaders({ status: 200, headers, body }, ctx.rateHeaders);
      }
      if (route.endpoint === "models") {
        const body = anthropic
          ? await anthropicModelsResponse(deps, key)
          : await listModelsResponse(deps, key);
        finishRequest(deps, ctx, nothingCharged(200, null));
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "x-request-id": requestId,
        };
        if (anthropic) headers["request-id"] = requestId;
        return withRateHeaders({ status: 200, headers, body }, ctx.rateHeaders);
      }
      if (route.endpoint === "messages.count_tokens")
        return withRateHeaders(await anthropicCountTokens(deps, request, ctx), ctx.rateHeaders);
      return withRateHeaders(
        await runPipeline(
          deps,
          request,
          ctx,
          key,
          (route as { protocol: Protocol<ParsedRequest> }).protocol,
        ),
        ctx.rateHeaders,
      );
    } catch (error) {
      // The one mapper (lib/errors): a database outage is not a bug, 503 and retryable.
      const unavailable = error instanceof ApiError ? null : databaseUnavailableCode(error);
      const known = toApiError(error);
      let apiError = known ?? gatewayErrors.internal();
      if (unavailable) {
        deps.log({
          level: "warn",
          msg: "v1 database unavailable",
          request_id: requestId,
          ...traceFields(ctx),
          error_code: unavailable,
        });
      } else if (!known) {
        deps.log({
          level: "error",
          msg: "v1 internal error",
          request_id: requestId,
          ...traceFields(ctx),
          error: loggableError(error, { stack: true }),
        });
      }
      // A key that exists but is refused (revoked, expired, spent…): its id, for the log line.
      if (!ctx.key) ctx.refusedKeyId = refusedKeyId(error);
      // Only authentication throws 401, and only before a key is known: a failed guess.
      // The failure past the budget (counted by all processes) is answered 429 itself.
      if (apiError.status === 401 && !ctx.key) {
        const wait = await authFailures
          .recordFailure(clientIpFromHeaders(request.headers))
          .catch(() => 0);
        if (wait > 0) apiError = tooManyFailures(wait);
      }
      finishRequest(deps, ctx, nothingCharged(apiError.status, apiError.code));
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "x-request-id": requestId,
      };
      if (anthropic) headers["request-id"] = requestId;
      if (apiError.status === 413) headers.connection = "close";
      if (apiError.status === 405) headers.allow = route?.method ?? "GET, POST";
      // The OpenAI SDKs retry every 429 unless told not to; a spent budget will not come back
      // by retrying, nor will a revoked key. Clients that retry anyway (most agent CLIs) are
      // told how long until the budget period resets, when the key has one.
      if (apiError.code === "limit_reached" || apiError.code === "key_revoked")
        headers["x-should-retry"] = "false";
      const retryAfter =
        retryAfterOf(error) ??
        (apiError.code === "limit_reached" && ctx.key
          ? limitReachedRetryAfter(ctx.key, new Date(deps.clock()))
          : null);
      if (retryAfter !== null) headers["retry-after"] = String(retryAfter);
      if (ctx.rateHeaders) Object.assign(headers, ctx.rateHeaders);
      routingHeaders(headers, ctx);
      if (apiError.code === "too_many_failed_attempts")
        headers["retry-after"] = String(
          authFailures.retryAfter(clientIpFromHeaders(request.headers)),
        );
      const body = gemini
        ? JSON.stringify(geminiErrorBody(apiError, retryAfter))
        : errorJson(apiError, { envelope: anthropic ? "anthropic" : "openai", requestId });
      return { status: apiError.status, headers, body };
    }
  };
  return async (request) => {
    const box: { ctx?: RequestContext } = {};
    let response: GatewayResponse;
    try {
      response = await serve(request, box);
    } catch (error) {
      box.ctx?.trace?.answered({ finishReasons: [] });
      throw error;
    }
    const ctx = box.ctx;
    const capture = ctx?.capture && deps.payloads ? ctx.capture : null;
    // The answer is copied into the capture as it goes out; the sink writes it later.
    if (capture) {
      const sink = deps.payloads!;
      response = capturingResponse(
        response,
        capture,
        (payload) => sink.record(payload),
        () => new Date(deps.clock()),
      );
    }
    // Outside the capture's copy: a string body is captured before this reads it, and a
    // stream's capture has ended before this one's does.
    if (ctx?.trace)
      response = tracedAnswer(
        response,
        ctx.trace,
        ctx.endpoint,
        capture,
        deps.config.payloadMaxBytes,
      );
    // Outermost: the response's end is the last thing sent, after the capture and the span.
    if (ctx && deps.config.usageCommit === "durable")
      return holdEndUntilRecorded(response, ctx, deps.config.usageCommitWaitMs);
    return response;
  };
}

/** A rate-limited key's x-ratelimit-* headers, on its answer (success or not). */
function withRateHeaders(
  response: GatewayResponse,
  rateHeaders: Record<string, string> | null,
): GatewayResponse {
  if (rateHeaders) Object.assign(response.headers, rateHeaders);
  return response;
}

/**
 * Payload capture for this request when its key's setting covers it and the sample says so.
 * Only the request's headers without credentials are kept; the body and the answer follow.
 */
function startCapture(
  deps: GatewayDeps,
  ctx: RequestContext,
  key: KeyRecord,
  request: GatewayRequest,
): void {
  const rate = key.payloadCapture?.sampleRate ?? 0;
  if (rate < 1 && (deps.random ?? Math.random)() >= rate) return;
  ctx.capture = new PayloadCapture(
    ctx.requestId,
    key.id,
    safeHeaders(request.headers),
    deps.config.payloadMaxBytes,
  );
}
