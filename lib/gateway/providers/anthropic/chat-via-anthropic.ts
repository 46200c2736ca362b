import { relayAnthropicSse } from "./sse-relay";
import { settleAnswer } from "../../pipeline/settle";
import type { PromptSize } from "../../relay/token-estimate";
import type { AnthropicMessage } from "../../translate/anthropic-types";
import { chatRequestToMessages, fitThinkingToCap } from "../../translate/chat-request-to-messages";
import { messagesAnswerToChat } from "../../translate/messages-answer-to-chat";
import { MessagesStreamToChat } from "../../translate/messages-stream-to-chat";
import type { ChatRequest } from "../../translate/openai-chat-types";
import { messagesSseAsChatSse } from "../../translate/sse-translate";
import { usageFromAnthropic } from "../../translate/usage";
import type { GatewayResponse } from "../../types";
import { parseAnswer, readAnswer } from "../answer";
import type { ProviderCall } from "../provider";
import { callAnthropic } from "./anthropic-provider";
import { settleAnthropicStream } from "./settle-anthropic-stream";
import { sseResponse } from "../../relay/sse-response";

/**
 * /v1/chat/completions onto an `anthropic` model: the request translated to Messages, the
 * answer or event stream translated back to chat, metered from Anthropic's usage (cache
 * reads and writes at their own prices). Refusals of untranslatable fields happen before
 * anything is sent.
 */
export async function chatViaAnthropic(
  call: ProviderCall,
  body: ChatRequest,
  prompt: PromptSize,
): Promise<GatewayResponse> {
  const { deps, request, ctx, deployment } = call;
  const stream = body.stream === true;
  // Null when neither the client nor the model caps the answer: Anthropic still needs one.
  const translated = chatRequestToMessages(body, call.cap.tokens);
  const messages = fitThinkingToCap(
    { ...translated.body, model: deployment.upstreamModel },
    call.cap.tokens,
  );

  const headers: Record<string, string> = { "x-request-id": ctx.requestId };
  if (translated.dropped.length) {
    headers["x-modelbridge-dropped"] = translated.dropped.join(", ");
    ctx.dropped = translated.dropped;
  }

  const response = await callAnthropic(call, "/messages", messages, { stream });
  const context = { model: body.model, jsonTool: translated.jsonTool };

  if (!stream) {
    const json = parseAnswer(await readAnswer(call, response)) as unknown as AnthropicMessage;
    const answer = messagesAnswerToChat(json, context);
    const cutAtLimit = json.stop_reason === "max_tokens";
    const usage = json.usage ? usageFromAnthropic(json.usage) : null;
    const text = () => answer.choices[0]?.message.content ?? "";
    await settleAnswer(deps, ctx, usage, prompt.estimate, text, {
      status: 200,
      errorCode: null,
      cutAtLimit,
    });
    return {
      status: 200,
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(answer),
    };
  }

  const relay = relayAnthropicSse(response, {
    cutAfterDeltas: call.cutAfterDeltas,
    signal: request.signal,
    onEnd: settleAnthropicStream(deps, ctx, (usage) =>
      usage ? usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens : prompt.count(),
    ),
  });
  const translator = new MessagesStreamToChat({
    ...context,
    includeUsage: body.stream_options?.include_usage === true,
  });
  return sseResponse(headers, messagesSseAsChatSse(relay, translator));
}
