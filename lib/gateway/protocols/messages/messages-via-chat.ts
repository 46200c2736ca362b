import type { ProviderCall } from "../../providers/provider";
import { parseAnswer, readAnswer } from "../../providers/answer";
import { providerFor } from "../../providers/registry";
import { settleAnswer, settleRelayed, usageOfChatStream } from "../../pipeline/settle";
import { relaySse } from "../../relay/sse-relay";
import type { AnthropicMessagesRequest } from "../../translate/anthropic-types";
import { chatAnswerToMessages } from "../../translate/chat-answer-to-messages";
import { ChatStreamToMessages } from "../../translate/chat-stream-to-messages";
import type { TranslatedRequest } from "../../translate/messages-request-to-chat";
import type { ChatCompletion, ChatRequest } from "../../translate/openai-chat-types";
import { chatSseAsMessagesSse } from "../../translate/sse-translate";
import { usageFromChat } from "../../translate/usage";
import { applyCap } from "../../pipeline/token-cap";
import type { GatewayResponse } from "../../types";
import { sseResponse } from "../../relay/sse-response";

/**
 * /v1/messages onto a provider that does not speak Messages, through its `chat`: the request
 * translated to chat completions, the answer or stream translated back, metered from the
 * chat usage. What the translation left out is named in `x-modelbridge-dropped` and the log.
 */
export async function messagesViaChat(
  call: ProviderCall,
  body: AnthropicMessagesRequest,
  translation: TranslatedRequest<ChatRequest>,
  promptEstimate: number,
): Promise<GatewayResponse> {
  const { deps, request, ctx, model } = call;
  const stream = body.stream === true;
  const chat: ChatRequest = { ...translation.body, model: call.deployment.upstreamModel };
  applyCap(chat, call.cap);

  const headers: Record<string, string> = {
    "x-request-id": ctx.requestId,
    "request-id": ctx.requestId,
  };
  if (translation.dropped.length) {
    headers["x-modelbridge-dropped"] = translation.dropped.join(", ");
    ctx.dropped = translation.dropped;
  }

  const response = await providerFor(model).chat(
    call,
    chat as unknown as Record<string, unknown>,
    stream,
  );

  const context = { model: body.model, stopSequences: body.stop_sequences };
  if (!stream) {
    const json = parseAnswer(await readAnswer(call, response)) as unknown as ChatCompletion;
    const message = chatAnswerToMessages(json, context);
    const cutAtLimit = json.choices?.some((choice) => choice.finish_reason === "length") ?? false;
    const text = () =>
      message.content
        .map((block) =>
          block.type === "text" ? block.text : block.type === "thinking" ? block.thinking : "",
        )
        .join("");
    await settleAnswer(
      deps,
      ctx,
      json.usage ? usageFromChat(json.usage) : null,
      promptEstimate,
      text,
      {
        status: 200,
        errorCode: null,
        cutAtLimit,
      },
    );
    return {
      status: 200,
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(message),
    };
  }

  const translator = new ChatStreamToMessages({ ...context, inputTokensEstimate: promptEstimate });
  const relay = relaySse(response, {
    clientWantsUsage: true,
    cutAfterDeltas: call.cutAfterDeltas,
    signal: request.signal,
    // When usage came, the translator has read the same chunk, cached tokens included (each
    // piece the relay yields is translated before the relay is asked for the next, and ends).
    onEnd: (outcome) =>
      settleRelayed(
        deps,
        ctx,
        outcome,
        outcome.usage ? (translator.tokenUsage ?? usageOfChatStream(outcome)) : null,
        promptEstimate,
      ),
  });
  return sseResponse(headers, chatSseAsMessagesSse(relay, translator));
}
