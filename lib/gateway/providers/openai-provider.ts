import { ApiError } from "@/lib/http/errors";
import { echoResponse } from "../echo-model";
import { callAnthropicAsChat } from "./anthropic/anthropic-as-chat";
import { upstreamHeaders } from "../forward-headers";
import { gatewayErrors } from "../gateway-error";
import type { ForwardCall } from "../pipeline/protocol";
import { isAbort, readAll, upstreamFailure, type UpstreamResponse } from "../upstream-client";
import { clientClosed, sendUpstream } from "./send-upstream";

/**
 * The `openai` provider: any OpenAI-compatible server (vLLM, TGI, Ollama, NIM, OpenAI),
 * at `<base_url><path>`, with the model's own credential; and the built-in echo model,
 * which speaks the same chat completions in-process. Returns the upstream's 2xx answer;
 * everything else becomes the error table's: a client gone 499, unreachable 502, too slow
 * 504, the upstream's own refusal mapped by mapUpstreamStatus.
 */
export type OpenAiPath = "/chat/completions" | "/responses" | "/embeddings" | "/completions";

export async function callOpenAi(
  call: ForwardCall,
  path: OpenAiPath,
  body: Record<string, unknown>,
  stream: boolean,
): Promise<UpstreamResponse> {
  const { deps, request, ctx, model } = call;
  if (model.provider === "anthropic" && model.kind === "http") {
    if (path !== "/chat/completions") throw claudeDoesNotServe(model.name, path);
    return callAnthropicAsChat(call, body, stream);
  }
  return sendUpstream(call, async () => {
    if (model.kind === "builtin-echo") {
      if (path !== "/chat/completions") throw echoDoesNotServe(model.name, path);
      // The demo model is ours: it answers under its public name, as clients asked for it.
      return echoResponse({ ...body, model: model.name } as never, {
        paceMs: deps.config.echoPaceMs,
        signal: request.signal,
      });
    }
    return deps.upstream.send({
      url: `${model.baseUrl}${path}`,
      headers: upstreamHeaders(request.headers, {
        apiKey: model.apiKey,
        requestId: ctx.requestId,
        stream,
      }),
      body: JSON.stringify(body),
      signal: call.signal,
      connectTimeoutMs: model.connectTimeoutMs,
      firstByteTimeoutMs: model.firstByteTimeoutMs,
      idleTimeoutMs: model.idleTimeoutMs,
    });
  });
}

/** A whole non-stream answer, refusing one past the configured size. */
export async function readAnswer(call: ForwardCall, response: UpstreamResponse): Promise<Buffer> {
  try {
    return await readAll(response.body, call.deps.config.maxUpstreamResponseBytes);
  } catch (error) {
    if (call.signal.aborted || isAbort(error)) throw clientClosed();
    throw upstreamFailure(error);
  }
}

/** A non-stream answer as JSON; anything else is the upstream's fault. */
export function parseAnswer(raw: Buffer): Record<string, unknown> {
  try {
    const parsed = JSON.parse(raw.toString("utf8")) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw gatewayErrors.upstreamError("The model server sent a response that is not JSON.");
}

/**
 * A non-stream answer that arrived: 200, or 499 when its client left during the grace (it
 * is charged as usual, and recorded as the client's abort).
 */
export function answeredStatus(call: ForwardCall): { status: number; errorCode: string | null } {
  return call.request.signal.aborted
    ? { status: 499, errorCode: "client_closed" }
    : { status: 200, errorCode: null };
}

export { clientClosed } from "./send-upstream";

function claudeDoesNotServe(name: string, path: string): ApiError {
  return new ApiError(
    404,
    "model_not_found",
    `The model '${name}' is served by Anthropic's Messages API: it serves /v1/chat/completions, /v1/responses and /v1/messages, not /v1${path}.`,
    "model",
  );
}

function echoDoesNotServe(name: string, path: string): ApiError {
  return new ApiError(
    404,
    "model_not_found",
    `The model '${name}' is the built-in demo model: it serves /v1/chat/completions and /v1/responses, not /v1${path}.`,
    "model",
  );
}
