import type { ChatCompletion, ChatToolCall } from "../openai-chat-types";
import { chatFinishOf, chatUsageOfGemini } from "./gemini-usage";
import type { GeminiPart, GeminiResponse } from "./gemini-types";

/**
 * A Gemini answer as a chat completion: each candidate a choice; thought parts as
 * `reasoning_content`, text as content, `functionCall` parts as tool calls (Gemini's id,
 * or one made here); a STOP that called functions is `tool_calls`; a prompt Google blocked
 * (no candidates, a promptFeedback.blockReason) is an empty `content_filter` answer.
 */
export function geminiAnswerToChat(answer: GeminiResponse, model: string): ChatCompletion {
  const candidates = answer.candidates?.length ? answer.candidates : [{ index: 0 }];
  const blocked = !answer.candidates?.length && Boolean(answer.promptFeedback?.blockReason);
  const choices = candidates.map((candidate, i) => {
    const { text, reasoning, toolCalls } = readParts(candidate.content?.parts ?? [], i);
    const message: ChatCompletion["choices"][number]["message"] = {
      role: "assistant",
      content: text || (toolCalls.length ? null : ""),
    };
    if (reasoning) message.reasoning_content = reasoning;
    if (toolCalls.length) message.tool_calls = toolCalls;
    return {
      index: candidate.index ?? i,
      message,
      finish_reason: blocked
        ? "content_filter"
        : (chatFinishOf(candidate.finishReason, toolCalls.length > 0) ?? "stop"),
      logprobs: null,
    };
  });
  return {
    id: answer.responseId ? `chatcmpl-${answer.responseId}` : "chatcmpl-gemini",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices,
    usage: chatUsageOfGemini(answer.usageMetadata),
  };
}

export function readParts(
  parts: GeminiPart[],
  candidate: number,
): { text: string; reasoning: string; toolCalls: ChatToolCall[] } {
  let text = "";
  let reasoning = "";
  const toolCalls: ChatToolCall[] = [];
  for (const part of parts) {
    if (part.functionCall)
      toolCalls.push({
        id: part.functionCall.id || `call_${candidate}_${toolCalls.length}`,
        type: "function",
        function: {
          name: part.functionCall.name ?? "",
          arguments: JSON.stringify(part.functionCall.args ?? {}),
        },
      });
    else if (typeof part.text === "string") {
      if (part.thought) reasoning += part.text;
      else text += part.text;
    }
  }
  return { text, reasoning, toolCalls };
}
