import { parseChatRequest, type ChatCompletionRequest } from "../../chat-request";
import { checkEchoRequest } from "../../echo-request-rules";
import { finishRequest } from "../../finish-request";
import { gatewayErrors } from "../../gateway-error";
import type { ForwardCall, Protocol } from "../../pipeline/protocol";
import { settleEstimated } from "../../pipeline/settle";
import { chatViaAnthropic } from "../../providers/anthropic/chat-via-anthropic";
import { answeredStatus, callOpenAi, readAnswer } from "../../providers/openai-provider";
import { readResponseShape, type ResponseShape } from "../../response-usage";
import { applyCap } from "../../token-cap";
import { estimatePromptTokens, quickPromptTokens } from "../../token-estimate";
import type { GatewayResponse } from "../../types";
import { relayOpenAiStream } from "../stream-response";

/**
 * `POST /v1/chat/completions`: the same protocol on both ends, so the request passes
 * through untouched but for the model name, the token cap and (for streams) the usage the
 * gateway asks for; the answer comes back as the upstream's own bytes (non-stream) or its
 * own events (stream, through the relay).
 */
export const chatProtocol: Protocol<ChatCompletionRequest> = {
  endpoint: "chat.completions",
  serves: "chat",
  path: "/v1/chat/completions",
  parse: parseChatRequest,
  prepare(body, model) {
    if (model.kind === "builtin-echo") checkEchoRequest(body);
    return {
      promptTokens: quickPromptTokens(body as { messages: unknown[]; tools?: unknown }),
      capRequest: body,
      n: body.n ?? 1,
      estimatePrompt: () => estimatePromptTokens(body.messages),
      // A Claude model: translated onto Messages, metered in Anthropic's terms (cache writes too).
      forward: (call) =>
        model.provider === "anthropic" && model.kind === "http"
          ? chatViaAnthropic(call, body)
          : forwardChat(call, body),
    };
  },
};

async function forwardChat(
  call: ForwardCall,
  body: ChatCompletionRequest,
): Promise<GatewayResponse> {
  const { deps, ctx } = call;
  const stream = body.stream === true;
  // Unknown fields pass through untouched; only model, the token cap and (for streams)
  // include_usage are the gateway's to set.
  const upstreamBody: Record<string, unknown> = { ...body, model: call.model.upstreamModel };
  applyCap(upstreamBody, call.cap);
  if (stream) upstreamBody.stream_options = { ...(body.stream_options ?? {}), include_usage: true };

  const response = await callOpenAi(call, "/chat/completions", upstreamBody, stream);
  const headers = { "x-request-id": ctx.requestId };
  const estimatePrompt = () => estimatePromptTokens(body.messages);

  if (!stream) {
    const raw = await readAnswer(call, response);
    const { status, errorCode } = answeredStatus(call);
    let shape: ResponseShape;
    try {
      shape = readResponseShape(raw.toString("utf8"));
    } catch {
      throw gatewayErrors.upstreamError("The model server sent a response that is not JSON.");
    }
    if (shape.usage)
      finishRequest(deps, ctx, {
        status,
        errorCode,
        ...shape.usage,
        costSource: "upstream",
        cutAtLimit: shape.hitLength,
      });
    else
      await settleEstimated(
        deps,
        ctx,
        status,
        estimatePrompt,
        shape.text,
        shape.hitLength,
        errorCode,
      );
    // The upstream's bytes as they came: no re-serialisation on the way back.
    return { status: 200, headers: { ...headers, "content-type": "application/json" }, body: raw };
  }

  return relayOpenAiStream(
    call,
    response,
    headers,
    body.stream_options?.include_usage === true,
    estimatePrompt,
  );
}
