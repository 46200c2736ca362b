import { relayAnthropicSse } from "./sse-relay";
import { chatRequestToMessages, fitThinkingToCap } from "../../translate/chat-request-to-messages";
import type { AnthropicMessage } from "../../translate/anthropic-types";
import { messagesAnswerToChat } from "../../translate/messages-answer-to-chat";
import { MessagesStreamToChat } from "../../translate/messages-stream-to-chat";
import type { ChatRequest } from "../../translate/openai-chat-types";
import { messagesSseAsChatSse } from "../../translate/sse-translate";
import type { UpstreamResponse } from "../../relay/upstream-client";
import { parseAnswer, readAnswer } from "../answer";
import type { ProviderCall } from "../provider";
import { callAnthropic } from "./anthropic-provider";

/**
 * The anthropic provider's `chat`: a chat completions request
 * in, a chat completions answer (JSON, or SSE with the usage chunk) out, as if the model
 * were an OpenAI-compatible server. Protocols built on chat completions (Responses) thereby
 * reach Claude models with no code of their own; their relay meters the translated usage
 * (cache reads as cached input; cache writes, which chat's usage cannot say, as input).
 */
const encoder = new TextEncoder();

export async function callAnthropicAsChat(
  call: ProviderCall,
  chatBody: Record<string, unknown>,
  stream: boolean,
): Promise<UpstreamResponse> {
  const translated = chatRequestToMessages(chatBody as ChatRequest, call.cap.tokens);
  if (translated.dropped.length)
    call.ctx.dropped = [...(call.ctx.dropped ?? []), ...translated.dropped];
  const messages = fitThinkingToCap(
    { ...translated.body, model: call.deployment.upstreamModel },
    call.cap.tokens,
  );
  const response = await callAnthropic(call, "/messages", messages, { stream });
  const context = { model: call.model.name, jsonTool: translated.jsonTool };

  if (!stream) {
    const answer = messagesAnswerToChat(
      parseAnswer(await readAnswer(call, response)) as unknown as AnthropicMessage,
      context,
    );
    const bytes = encoder.encode(JSON.stringify(answer));
    return { status: 200, contentType: "application/json", body: once(bytes), discard: () => {} };
  }

  // Metering and the cut at the budget are left to the caller's chat relay, which reads this.
  const relayed = relayAnthropicSse(response, {
    cutAfterDeltas: null,
    signal: call.request.signal,
    onEnd: () => {},
  });
  const chat = messagesSseAsChatSse(
    relayed,
    new MessagesStreamToChat({ ...context, includeUsage: true }),
  );
  return {
    status: 200,
    contentType: "text/event-stream",
    body: encoded(chat),
    discard: () => void chat.return(undefined),
  };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function* encoded(source: AsyncGenerator<string>): AsyncGenerator<Uint8Array> {
  for await (const text of source) yield encoder.encode(text);
}
