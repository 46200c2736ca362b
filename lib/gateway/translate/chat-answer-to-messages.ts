import type { AnthropicMessage, AnthropicResponseBlock } from "./anthropic-types";
import type { ChatCompletion } from "./openai-chat-types";
import { stopReasonFromFinish } from "./stop-reasons";
import { anthropicUsageOf, usageFromChat } from "./usage";

/**
 * A Chat Completions answer as an Anthropic Message: reasoning (`reasoning_content`, or
 * `reasoning` as some servers name it) first as a thinking block, then the text, then the
 * tool calls as tool_use blocks. A thinking block made here carries no signature: only
 * Anthropic can sign one, and its way back (messagesRequestToChat) drops it.
 */
export interface AnswerContext {
  /** The model name the client asked for. */
  model: string;
  stopSequences?: string[];
}

export function chatAnswerToMessages(
  completion: ChatCompletion,
  context: AnswerContext,
): AnthropicMessage {
  const choice = completion.choices?.[0];
  const message = choice?.message;
  const content: AnthropicResponseBlock[] = [];
  const reasoning = message?.reasoning_content ?? (message?.reasoning as string | null | undefined);
  if (typeof reasoning === "string" && reasoning)
    content.push({ type: "thinking", thinking: reasoning, signature: "" });
  const text = typeof message?.content === "string" ? message.content : (message?.refusal ?? "");
  if (text) content.push({ type: "text", text, citations: null });
  for (const call of message?.tool_calls ?? []) {
    content.push({
      type: "tool_use",
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments),
      caller: { type: "direct" },
    });
  }
  const matched = matchedStopSequence(choice?.stop_reason, context.stopSequences);
  return {
    id: messageIdFrom(completion.id),
    type: "message",
    role: "assistant",
    model: context.model,
    content,
    container: null,
    diagnostics: null,
    stop_details: null,
    stop_reason: stopReasonFromFinish(choice?.finish_reason ?? "stop", matched) ?? "end_turn",
    stop_sequence: choice?.finish_reason === "stop" ? matched : null,
    usage: anthropicUsageOf(usageFromChat(completion.usage)),
  };
}

/** Tool arguments are JSON text in Chat and an object in Messages; malformed text becomes {}. */
export function parseArguments(text: string | undefined): unknown {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

/** vLLM reports which stop string ended the answer in `stop_reason`. */
export function matchedStopSequence(
  stopReason: unknown,
  sequences: string[] | undefined,
): string | null {
  return typeof stopReason === "string" && sequences?.includes(stopReason) ? stopReason : null;
}

export function messageIdFrom(id: string | undefined): string {
  return `msg_${(id ?? "").replace(/^chatcmpl-/, "") || Math.random().toString(36).slice(2)}`;
}
