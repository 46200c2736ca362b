import { relayAnthropicSse } from "../../anthropic-sse-relay";
import type { ForwardCall } from "../../pipeline/protocol";
import { settleFromEstimate, settleFromUsage } from "../../settle-usage";
import { fitThinkingToCap } from "../../translate/chat-request-to-messages";
import type { AnthropicMessage, AnthropicMessagesRequest } from "../../translate/anthropic-types";
import { usageFromAnthropic } from "../../translate/usage";
import type { GatewayResponse } from "../../types";
import { parseAnswer, readAnswer } from "../openai-provider";
import { callAnthropic } from "./anthropic-provider";
import { settleAnthropicStream } from "./settle-anthropic-stream";
import { sseResponse } from "../../protocols/stream-response";

/**
 * /v1/messages to an `anthropic` model: the client's body as sent but for the model name
 * and the token cap (and a thinking budget kept under a lowered cap, which Anthropic would
 * otherwise refuse); its headers (anthropic-beta…) and the `?beta=true` query too; the
 * answer and every event relayed as they come.
 */
export async function messagesPassthrough(
  call: ForwardCall,
  body: AnthropicMessagesRequest,
  promptEstimate: number,
): Promise<GatewayResponse> {
  const { deps, request, ctx, model } = call;
  const stream = body.stream === true;
  const upstreamBody = fitThinkingToCap({ ...body, model: model.upstreamModel }, call.cap.tokens);
  const response = await callAnthropic(call, "/messages", upstreamBody, {
    stream,
    query: request.query,
  });
  const headers = { "x-request-id": ctx.requestId, "request-id": ctx.requestId };

  if (!stream) {
    const raw = await readAnswer(call, response);
    const json = parseAnswer(raw) as unknown as AnthropicMessage;
    const cutAtLimit = json.stop_reason === "max_tokens";
    if (json.usage)
      settleFromUsage(deps, ctx, usageFromAnthropic(json.usage), {
        status: 200,
        errorCode: null,
        cutAtLimit,
      });
    else {
      const text = (json.content ?? [])
        .map((block) => (block.type === "text" ? block.text : ""))
        .join("");
      await settleFromEstimate(deps, ctx, promptEstimate, text, {
        status: 200,
        errorCode: null,
        cutAtLimit,
        produced: true,
      });
    }
    return { status: 200, headers: { ...headers, "content-type": "application/json" }, body: raw };
  }

  const relay = relayAnthropicSse(response, {
    cutAfterDeltas: call.cutAfterDeltas,
    signal: request.signal,
    onEnd: settleAnthropicStream(deps, ctx, (usage) => usage?.inputTokens || promptEstimate),
  });
  return sseResponse(headers, relay);
}
