import type { ProviderCall } from "../../providers/provider";
import { relayEvents } from "../../relay/relay-loop";
import { chatRequestToGemini } from "../../translate/gemini/chat-request-to-gemini";
import { geminiAnswerToChat } from "../../translate/gemini/gemini-answer-to-chat";
import { geminiSseAsChatSse } from "../../translate/gemini/gemini-sse";
import { GeminiStreamToChat } from "../../translate/gemini/gemini-stream-to-chat";
import type { GeminiResponse } from "../../translate/gemini/gemini-types";
import type { ChatRequest } from "../../translate/openai-chat-types";
import type { UpstreamResponse } from "../../relay/upstream-client";
import { parseAnswer, readAnswer } from "../answer";
import { callGemini } from "./gemini-upstream";
import { GeminiStreamMeter } from "./gemini-stream-meter";

/**
 * A `gemini` model behind the openai provider's interface, as anthropic-as-chat.ts does for
 * Claude: a chat completions request in (translated by chat-request-to-gemini.ts), a chat
 * completions answer (JSON, or SSE ending with the usage chunk) out. Chat completions,
 * Responses and Messages thereby reach Gemini models with no code of their own; their relay
 * meters the translated usage (cached input as cached_tokens, thoughts inside
 * completion_tokens as reasoning_tokens, so they are charged as output).
 */
const encoder = new TextEncoder();

export async function callGeminiAsChat(
  call: ProviderCall,
  chatBody: Record<string, unknown>,
  stream: boolean,
): Promise<UpstreamResponse> {
  const translated = chatRequestToGemini(chatBody as ChatRequest);
  if (translated.dropped.length)
    call.ctx.dropped = [...(call.ctx.dropped ?? []), ...translated.dropped];
  const response = await callGemini(
    call,
    stream ? "streamGenerateContent" : "generateContent",
    translated.body,
  );

  if (!stream) {
    const answer = geminiAnswerToChat(
      parseAnswer(await readAnswer(call, response)) as GeminiResponse,
      call.model.name,
    );
    const bytes = encoder.encode(JSON.stringify(answer));
    return { status: 200, contentType: "application/json", body: once(bytes), discard: () => {} };
  }

  // Metering and the cut at the budget are left to the caller's chat relay, which reads this.
  const relayed = relayEvents(response, new GeminiStreamMeter(null), call.request.signal, () => {});
  const chat = geminiSseAsChatSse(
    relayed,
    new GeminiStreamToChat({ model: call.model.name, includeUsage: true }),
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
