import type { GatewayDeps } from "../deps";
import { runPipeline } from "../pipeline/run-pipeline";
import { chatProtocol } from "../protocols/chat/chat-protocol";
import type { RequestContext } from "../request-context";
import type { GatewayRequest, GatewayResponse, KeyRecord } from "../types";

/**
 * POST /v1/chat/completions for an authenticated key: the shared pipeline with the chat
 * protocol (protocols/chat). Kept as a function of its own for in-process callers (the
 * Playground through chat-for-key.ts).
 */
export function chatCompletions(
  deps: GatewayDeps,
  request: GatewayRequest,
  ctx: RequestContext,
  key: KeyRecord,
): Promise<GatewayResponse> {
  return runPipeline(deps, request, ctx, key, chatProtocol);
}
