import type { ChatCompletion, ChatToolCall } from "../openai-chat-types";
import { geminiFinishOf, geminiUsageOfChat } from "./gemini-usage";
import type { GeminiCandidate, GeminiPart, GeminiResponse } from "./gemini-types";

/**
 * A chat completion as Gemini's GenerateContentResponse: each choice a candidate,
 * reasoning as `thought` parts (only when the client asked for thoughts), text, then the
 * tool calls as `functionCall` parts with their parsed arguments and ids.
 */
export interface GeminiAnswerContext {
  /** The model name the client asked for: Gemini echoes it as modelVersion. */
  model: string;
  includeThoughts: boolean;
}

export function chatAnswerToGemini(
  answer: ChatCompletion,
  context: GeminiAnswerContext,
): GeminiResponse {
  const candidates: GeminiCandidate[] = (answer.choices ?? []).map((choice) => {
    const parts: GeminiPart[] = [];
    const reasoning = choice.message.reasoning_content ?? choice.message.reasoning;
    if (context.includeThoughts && typeof reasoning === "string" && reasoning)
      parts.push({ text: reasoning, thought: true });
    if (choice.message.content) parts.push({ text: choice.message.content });
    for (const call of choice.message.tool_calls ?? []) parts.push(functionCallPart(call));
    return {
      content: { role: "model", parts },
      finishReason: geminiFinishOf(choice.finish_reason),
      index: choice.index,
    };
  });
  const response: GeminiResponse = {
    candidates,
    modelVersion: context.model,
    responseId: answer.id,
  };
  if (answer.usage) response.usageMetadata = geminiUsageOfChat(answer.usage);
  return response;
}

export function functionCallPart(call: Pick<ChatToolCall, "id" | "function">): GeminiPart {
  return {
    functionCall: {
      id: call.id,
      name: call.function.name,
      args: parseArguments(call.function.arguments),
    },
  };
}

/** A model may write arguments that are not a JSON object: Gemini's `args` must be one. */
function parseArguments(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
    return { value: parsed };
  } catch {
    return { input: text };
  }
}
