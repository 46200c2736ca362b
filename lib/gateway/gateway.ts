import { loggableError } from "@/lib/errors/loggable-error";
import { AuthFailureLimiter, tooManyFailures } from "@/lib/http/auth-failure-limiter";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { ApiError } from "@/lib/http/errors";
import { authenticate } from "./authenticate";
import { chatCompletions } from "./chat-completions";
import type { GatewayDeps } from "./deps";
import { finishRequest, nothingCharged } from "./finish-request";
import { databaseUnavailableCode } from "./database-unavailable";
import { gatewayErrors, refusedKeyId } from "./gateway-error";
import { listModelsResponse } from "./list-models";
import { isPromise } from "./maybe-async";
import { newContext } from "./request-context";
import { newRequestId } from "./request-id";
import type { GatewayRequest, GatewayResponse } from "./types";

/**
 * The gateway's entry: a GatewayRequest in, a GatewayResponse out. Routes `/v1`, gives
 * every response an `x-request-id`, and turns every failure into OpenAI's error envelope.
 */
export type Gateway = (request: GatewayRequest) => Promise<GatewayResponse>;

const ROUTES: Record<string, { method: string; endpoint: string }> = {
  "/v1/chat/completions": { method: "POST", endpoint: "chat.completions" },
  "/v1/models": { method: "GET", endpoint: "models" },
};

export function createGateway(deps: GatewayDeps, authFailures = AuthFailureLimiter.fromEnv()): Gateway {
  return async (request) => {
    const requestId = newRequestId();
    const path = request.path.length > 1 ? request.path.replace(/\/+$/, "") : request.path;
    const route = ROUTES[path];
    const ctx = newContext(requestId, deps.clock(), route?.endpoint ?? "unknown");
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
      const authenticated = authenticate(request.headers.authorization, deps.keys, new Date(deps.clock()), deps.config.keyPrefixBase, deps.models.smallestRequestCost());
      const key = isPromise(authenticated) ? await authenticated : authenticated;
      ctx.key = key;
      if (route.endpoint === "models") {
        const body = await listModelsResponse(deps);
        finishRequest(deps, ctx, nothingCharged(200, null));
        return { status: 200, headers: { "content-type": "application/json", "x-request-id": requestId }, body };
      }
      return await chatCompletions(deps, request, ctx, key);
    } catch (error) {
      // A database outage is not a bug: 503, retryable (see database-unavailable.ts).
      const unavailable = error instanceof ApiError ? null : databaseUnavailableCode(error);
      const apiError = error instanceof ApiError ? error : unavailable ? gatewayErrors.serviceUnavailable() : gatewayErrors.internal();
      if (unavailable) {
        deps.log({ level: "warn", msg: "v1 database unavailable", request_id: requestId, error_code: unavailable });
      } else if (!(error instanceof ApiError)) {
        deps.log({ level: "error", msg: "v1 internal error", request_id: requestId, error: loggableError(error, { stack: true }) });
      }
      // A key that exists but is refused (revoked, expired, spent…): its id, for the log line.
      if (!ctx.key) ctx.refusedKeyId = refusedKeyId(error);
      // Only authentication throws 401, and only before a key is known: a failed guess.
      if (apiError.status === 401 && !ctx.key) await authFailures.recordFailure(clientIpFromHeaders(request.headers));
      finishRequest(deps, ctx, nothingCharged(apiError.status, apiError.code));
      const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": requestId };
      if (apiError.status === 413) headers.connection = "close";
      if (apiError.status === 405) headers.allow = route?.method ?? "GET, POST";
      // The OpenAI SDKs retry every 429 unless told not to; a spent budget will not come back by retrying.
      if (apiError.code === "limit_reached") headers["x-should-retry"] = "false";
      if (apiError.code === "too_many_failed_attempts") headers["retry-after"] = String(authFailures.retryAfter(clientIpFromHeaders(request.headers)));
      return { status: apiError.status, headers, body: JSON.stringify(apiError.toBody()) };
    }
  };
}
