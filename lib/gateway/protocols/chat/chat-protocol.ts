import { parseChatRequest, type ChatCompletionRequest } from "./chat-request";
import { gatewayErrors } from "../../gateway-error";
import type { Protocol } from "../../pipeline/protocol";
import type { ProviderCall } from "../../providers/provider";
import { settleAnswer } from "../../pipeline/settle";
import { usageFromCounts } from "../../translate/usage";
import { answeredStatus, readAnswer } from "../../providers/answer";
import { providerFor, familyOf } from "../../providers/registry";
import { readResponseShape, type ResponseShape } from "../../relay/response-usage";
import { applyCap } from "../../pipeline/token-cap";
import { chatPrompt, promptSize, type PromptSize } from "../../pipeline/request-prompt";
import type { GatewayResponse } from "../../types";
import { relayOpenAiStream } from "../stream-response";

/**
 * `POST /v1/chat/completions`: the same protocol on both ends, so the request passes
 * through untouched but for the model name, the token cap and (for streams) the usage the
 * gateway asks for; the answer comes back as the upstream's own bytes (non-stream) or its
 * own events (stream, through the relay).
 */
export const chatProtocol: Protocol<ChatCompletionRequest> = {
  name: "chat",
  viaChat: true,
  endpoint: "chat.completions",
  serves: "chat",
  path: "/v1/chat/completions",
  parse: parseChatRequest,
  prepare(body, model, _ctx, _deps, route) {
    const prompt = promptSize(() => chatPrompt(body, familyOf(model)));
    return {
      prompt,
      capRequest: body,
      n: body.n ?? 1,
      estimatePrompt: prompt.estimate,
      // A provider that does not speak chat serves it by its own translation when it has one
      // (metered in its own terms: Anthropic's cache writes), else through its `chat`.
      forward: (call) => {
        const provider = providerFor(call.model);
        return route === "via-chat" && provider.serveChat
          ? provider.serveChat(call, body, prompt)
          : forwardChat(call, body, prompt);
      },
    };
  },
};

async function forwardChat(
  call: ProviderCall,
  body: ChatCompletionRequest,
  prompt: PromptSize,
): Promise<GatewayResponse> {
  const { deps, ctx } = call;
  const stream = body.stream === true;
  // Unknown fields pass through untouched; only model, the token cap and (for streams)
  // include_usage are the gateway's to set.
  const upstreamBody: Record<string, unknown> = { ...body, model: call.deployment.upstreamModel };
  applyCap(upstreamBody, call.cap);
  if (stream) upstreamBody.stream_options = { ...(body.stream_options ?? {}), include_usage: true };

  const response = await providerFor(call.model).chat(call, upstreamBody, stream);
  const headers = { "x-request-id": ctx.requestId };
  const estimatePrompt = prompt.estimate;

  if (!stream) {
    const raw = await readAnswer(call, response);
    const { status, errorCode } = answeredStatus(call);
    let shape: ResponseShape;
    try {
      shape = readResponseShape(raw.toString("utf8"));
    } catch {
      throw gatewayErrors.upstreamError("The model server sent a response that is not JSON.");
    }
    const usage = shape.usage
      ? usageFromCounts(
          shape.usage.promptTokens,
          shape.usage.completionTokens,
          shape.usage.cachedInputTokens,
        )
      : null;
    await settleAnswer(deps, ctx, usage, estimatePrompt, () => shape.text, {
      status,
      errorCode,
      cutAtLimit: shape.hitLength,
    });
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
