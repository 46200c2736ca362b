import { holdEndUntilRecorded } from "../pipeline/hold-until-recorded";
import { errorJson } from "@/lib/errors/write-error";
import { loggableError } from "@/lib/errors/loggable-error";
import { toApiError } from "@/lib/errors/to-api-error";
import { authenticateKeyHash } from "../pipeline/authenticate";
import { chatCompletions } from "./chat-completions";
import type { GatewayDeps } from "../deps";
import { finishRequest, nothingCharged } from "../pipeline/finish-request";
import { gatewayErrors } from "../gateway-error";
import { newContext } from "../request-context";
import { newRequestId } from "@/lib/http/request-id";
import type { GatewayResponse } from "../types";

export interface ChatForKeyRequest {
  /** The stored SHA-256 of a key the caller has already tied to a signed-in user. */
  keyHash: string;
  /** A `/v1/chat/completions` body, exactly as an application would send it. */
  body: Uint8Array;
  /** Aborts when the caller goes away (the Playground's Stop). */
  signal: AbortSignal;
}

/**
 * `POST /v1/chat/completions` on behalf of a key identified by its stored hash instead of
 * a Bearer header: for in-process callers that must never hold a raw key (the dashboard's
 * Playground). After authentication it is the same path as `/v1` — status checks, budget,
 * balance, relay, metering, one usage record — so spend shows up like any key's. The
 * `/v1` entry (gateway.ts) is not involved: the hot path stays as it is.
 */
export async function chatCompletionsForKey(
  deps: GatewayDeps,
  request: ChatForKeyRequest,
): Promise<GatewayResponse> {
  const requestId = newRequestId();
  const ctx = newContext(requestId, deps.clock(), "chat.completions");
  try {
    const key = await authenticateKeyHash(
      request.keyHash,
      deps.keys,
      new Date(deps.clock()),
      deps.models.smallestRequestCost(),
    );
    ctx.key = key;
    const response = await chatCompletions(
      deps,
      {
        method: "POST",
        path: "/v1/chat/completions",
        // Nothing of the browser's request is forwarded upstream: no cookies, no client headers.
        headers: { "content-type": "application/json" },
        body: request.body,
        signal: request.signal,
      },
      ctx,
      key,
    );
    // Its spend is committed before its answer ends, as on /v1 (GATEWAY_USAGE_COMMIT).
    return deps.config.usageCommit === "durable"
      ? await holdEndUntilRecorded(response, ctx, deps.config.usageCommitWaitMs)
      : response;
  } catch (error) {
    // The same envelope and accounting as gateway.ts gives a `/v1` failure.
    // A database outage answers 503 here too, as on /v1 and /api/v1.
    const known = toApiError(error);
    const apiError = known ?? gatewayErrors.internal();
    if (!known) {
      deps.log({
        level: "error",
        msg: "chat for key internal error",
        request_id: requestId,
        error: loggableError(error, { stack: true }),
      });
    }
    finishRequest(deps, ctx, nothingCharged(apiError.status, apiError.code));
    return {
      status: apiError.status,
      headers: { "content-type": "application/json", "x-request-id": requestId },
      body: errorJson(apiError, { envelope: "openai" }),
    };
  }
}
