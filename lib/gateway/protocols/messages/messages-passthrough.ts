import type { ProviderCall } from "../../providers/provider";
import { parseAnswer, readAnswer } from "../../providers/answer";
import { settleAnthropicStream } from "../../providers/anthropic/settle-anthropic-stream";
import { relayAnthropicSse } from "../../providers/anthropic/sse-relay";
import { providerFor } from "../../providers/registry";
import { settleAnswer } from "../../pipeline/settle";
import { sseResponse } from "../../relay/sse-response";
import { fitThinkingToCap } from "../../translate/chat-request-to-messages";
import { dropUnsignedThinking } from "../../translate/drop-unsigned-thinking";
import type { AnthropicMessage, AnthropicMessagesRequest } from "../../translate/anthropic-types";
import { usageFromAnthropic } from "../../translate/usage";
import type { GatewayResponse } from "../../types";

/**
 * /v1/messages to a provider that speaks Messages itself: the client's body as sent but for
 * the model name and the token cap (and a thinking budget kept under a lowered cap, which Anthropic would
 * otherwise refuse); its headers (anthropic-beta…) and the `?beta=true` query too; the
 * answer and every event relayed as they come. Thinking blocks without a signature (made by a
 * translation from another model) are dropped: Claude refuses them.
 */
export async function messagesPassthrough(
  call: ProviderCall,
  body: AnthropicMessagesRequest,
  promptEstimate: number,
): Promise<GatewayResponse> {
  const { deps, request, ctx, deployment } = call;
  const stream = body.stream === true;
  const upstreamBody = fitThinkingToCap(
    dropUnsignedThinking({ ...body, model: deployment.upstreamModel }),
    call.cap.tokens,
  );
  const response = await providerFor(call.model).send(call, {
    path: "/messages",
    body: upstreamBody,
    stream,
    query: request.query,
  });
  const headers = { "x-request-id": ctx.requestId, "request-id": ctx.requestId };

  if (!stream) {
    const raw = await readAnswer(call, response);
    const json = parseAnswer(raw) as unknown as AnthropicMessage;
    const cutAtLimit = json.stop_reason === "max_tokens";
    const usage = json.usage ? usageFromAnthropic(json.usage) : null;
    const text = () =>
      (json.content ?? []).map((block) => (block.type === "text" ? block.text : "")).join("");
    await settleAnswer(deps, ctx, usage, promptEstimate, text, {
      status: 200,
      errorCode: null,
      cutAtLimit,
    });
    return { status: 200, headers: { ...headers, "content-type": "application/json" }, body: raw };
  }

  const relay = relayAnthropicSse(response, {
    cutAfterDeltas: call.cutAfterDeltas,
    signal: request.signal,
    onEnd: settleAnthropicStream(deps, ctx, (usage) => usage?.inputTokens || promptEstimate),
  });
  return sseResponse(headers, relay);
}
