import type { AnthropicMessage } from "./anthropic-types";
import type { ChatCompletion, ChatToolCall } from "./openai-chat-types";
import { finishFromStopReason } from "./stop-reasons";
import { chatUsageOf, usageFromAnthropic } from "./usage";

/**
 * An Anthropic Message as a Chat Completions answer: text blocks joined as `content`,
 * thinking as `reasoning_content` (the field vLLM and DeepSeek use), tool_use blocks as
 * `tool_calls`. A call to the tool that stands for response_format is the JSON answer
 * itself, so it comes back as text with finish_reason "stop".
 */
export interface ChatAnswerContext {
  model: string;
  jsonTool: string | null;
  created?: number;
}

export function messagesAnswerToChat(
  message: AnthropicMessage,
  context: ChatAnswerContext,
): ChatCompletion {
  const text: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  let answeredAsJson = false;
  for (const block of message.content ?? []) {
    if (block.type === "text") text.push(block.text);
    else if (block.type === "thinking") reasoning.push(block.thinking);
    else if (block.type === "tool_use") {
      if (block.name === context.jsonTool) {
        text.push(JSON.stringify(block.input));
        answeredAsJson = true;
      } else {
        toolCalls.push({
          id: block.id,
          type: "function",
          function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
        });
      }
    }
  }
  const chatMessage: ChatCompletion["choices"][number]["message"] = {
    role: "assistant",
    content: text.length ? text.join("") : null,
    refusal: null,
  };
  if (reasoning.length) chatMessage.reasoning_content = reasoning.join("");
  if (toolCalls.length) chatMessage.tool_calls = toolCalls;
  const finish =
    answeredAsJson && toolCalls.length === 0
      ? "stop"
      : (finishFromStopReason(message.stop_reason) ?? "stop");
  return {
    id: chatIdFrom(message.id),
    object: "chat.completion",
    created: context.created ?? Math.floor(Date.now() / 1000),
    model: context.model,
    choices: [{ index: 0, message: chatMessage, logprobs: null, finish_reason: finish }],
    usage: chatUsageOf(usageFromAnthropic(message.usage)),
  };
}

export function chatIdFrom(id: string | undefined): string {
  return `chatcmpl-${(id ?? "").replace(/^msg_/, "") || Math.random().toString(36).slice(2)}`;
}
