import { loggableError } from "@/lib/errors/loggable-error";
import { AuthFailureLimiter, tooManyFailures } from "@/lib/http/auth-failure-limiter";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { ApiError } from "@/lib/http/errors";
import { authenticate } from "./authenticate";
import type { GatewayDeps } from "./deps";
import { finishRequest, nothingCharged } from "./finish-request";
import { databaseUnavailableCode } from "./database-unavailable";
import { gatewayErrors, refusedKeyId } from "./gateway-error";
import { listModelsResponse } from "./list-models";
import { checkClientAddress } from "./key-rules";
import { isPromise } from "./maybe-async";
import { peekRateHeaders, retryAfterOf } from "./rate-limit/admit";
import { newContext } from "./request-context";
import { anthropicCountTokens } from "./protocols/anthropic/count-tokens";
import { anthropicModelsResponse } from "./protocols/anthropic/list-models";
import { messagesProtocol } from "./protocols/anthropic/messages-protocol";
import { newRequestId } from "@/lib/http/request-id";
import { anthropicErrorBody } from "./translate/anthropic-error";
import { runPipeline } from "./pipeline/run-pipeline";
import type { ParsedRequest, Protocol } from "./pipeline/protocol";
import { chatProtocol } from "./protocols/chat/chat-protocol";
import { completionsProtocol } from "./protocols/completions/completions-protocol";
import { embeddingsProtocol } from "./protocols/embeddings/embeddings-protocol";
import { responsesProtocol } from "./protocols/responses/responses-protocol";
import type { GatewayRequest, GatewayResponse } from "./types";

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

/** Anthropic's clients send their key as x-api-key; Claude Code (ANTHROPIC_AUTH_TOKEN) as a Bearer. */
function credentialOf(headers: GatewayRequest["headers"]): string | undefined {
  if (headers.authorization) return headers.authorization;
  const apiKey = headers["x-api-key"];
  return apiKey ? `Bearer ${apiKey.trim()}` : undefined;
}

export function createGateway(
  deps: GatewayDeps,
  authFailures = AuthFailureLimiter.fromEnv(),
): Gateway {
  return async (request) => {
    const requestId = newRequestId();
    const path = request.path.length > 1 ? request.path.replace(/\/+$/, "") : request.path;
    const route = ROUTES[path];
    const ctx = newContext(requestId, deps.clock(), route?.endpoint ?? "unknown");
    // Anthropic's clients get Anthropic's envelope: on its routes (and paths under them, such
    // as message batches, which are not served), and on the model list when they ask for it.
    const anthropic =
      ANTHROPIC_ENDPOINTS.has(route?.endpoint ?? "") ||
      path.startsWith("/v1/messages/") ||
      (route?.endpoint === "models" && Boolean(request.headers["anthropic-version"]));
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
        credentialOf(request.headers),
        deps.keys,
        new Date(deps.clock()),
        deps.config.keyPrefixBase,
        deps.models.smallestRequestCost(),
      );
      const key = isPromise(authenticated) ? await authenticated : authenticated;
      // The address is resolved only for a key with an allowlist: most keys have none.
      if (key.ipRanges) checkClientAddress(key, clientIpFromHeaders(request.headers));
      ctx.key = key;
      if (!route.protocol) peekRateHeaders(deps, ctx, key);
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
        await runPipeline(deps, request, ctx, key, route.protocol!),
        ctx.rateHeaders,
      );
    } catch (error) {
      // A database outage is not a bug: 503, retryable (see database-unavailable.ts).
      const unavailable = error instanceof ApiError ? null : databaseUnavailableCode(error);
      const apiError =
        error instanceof ApiError
          ? error
          : unavailable
            ? gatewayErrors.serviceUnavailable()
            : gatewayErrors.internal();
      if (unavailable) {
        deps.log({
          level: "warn",
          msg: "v1 database unavailable",
          request_id: requestId,
          error_code: unavailable,
        });
      } else if (!(error instanceof ApiError)) {
        deps.log({
          level: "error",
          msg: "v1 internal error",
          request_id: requestId,
          error: loggableError(error, { stack: true }),
        });
      }
      // A key that exists but is refused (revoked, expired, spent…): its id, for the log line.
      if (!ctx.key) ctx.refusedKeyId = refusedKeyId(error);
      // Only authentication throws 401, and only before a key is known: a failed guess.
      if (apiError.status === 401 && !ctx.key)
        await authFailures.recordFailure(clientIpFromHeaders(request.headers));
      finishRequest(deps, ctx, nothingCharged(apiError.status, apiError.code));
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "x-request-id": requestId,
      };
      if (anthropic) headers["request-id"] = requestId;
      if (apiError.status === 413) headers.connection = "close";
      if (apiError.status === 405) headers.allow = route?.method ?? "GET, POST";
      // The OpenAI SDKs retry every 429 unless told not to; a spent budget will not come back by retrying.
      if (apiError.code === "limit_reached") headers["x-should-retry"] = "false";
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== null) headers["retry-after"] = String(retryAfter);
      if (ctx.rateHeaders) Object.assign(headers, ctx.rateHeaders);
      if (apiError.code === "too_many_failed_attempts")
        headers["retry-after"] = String(
          authFailures.retryAfter(clientIpFromHeaders(request.headers)),
        );
      const body = anthropic ? anthropicErrorBody(apiError, requestId) : apiError.toBody();
      return { status: apiError.status, headers, body: JSON.stringify(body) };
    }
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
