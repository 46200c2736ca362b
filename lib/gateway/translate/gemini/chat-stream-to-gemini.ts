import type { ChatChunk, ChatUsage } from "../openai-chat-types";
import { functionCallPart, type GeminiAnswerContext } from "./chat-answer-to-gemini";
import { geminiFinishOf, geminiUsageOfChat } from "./gemini-usage";
import type { GeminiPart, GeminiResponse } from "./gemini-types";

/**
 * Chat Completions chunks in, Gemini `streamGenerateContent?alt=sse` chunks out. Each Gemini
 * chunk is a whole GenerateContentResponse holding that moment's new parts. Text and
 * thoughts go out as they arrive; a function call goes out whole, once its arguments are
 * complete (Gemini does not stream arguments in pieces). The last chunk carries the
 * finishReason and usageMetadata, so it waits for the usage chunk that follows the
 * finish_reason in chat.
 */
interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

export class ChatStreamToGemini {
  private responseId = "";
  private finish: string | null = null;
  private usage: ChatUsage | null = null;
  private ended = false;
  private readonly calls = new Map<number, PendingCall>();

  constructor(private readonly context: GeminiAnswerContext) {}

  push(chunk: ChatChunk): GeminiResponse[] {
    if (this.ended) return [];
    this.responseId ||= chunk.id;
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    const parts: GeminiPart[] = [];
    if (choice) {
      const delta = choice.delta ?? {};
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning && this.context.includeThoughts) parts.push({ text: reasoning, thought: true });
      if (delta.content) parts.push({ text: delta.content });
      for (const piece of delta.tool_calls ?? []) {
        const call = this.calls.get(piece.index) ?? { id: "", name: "", arguments: "" };
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.name += piece.function.name;
        if (piece.function?.arguments) call.arguments += piece.function.arguments;
        this.calls.set(piece.index, call);
      }
      if (choice.finish_reason) this.finish = choice.finish_reason;
    }
    const out = parts.length ? [this.response(parts)] : [];
    // The usage chunk (or a server that sends none: end()) closes the answer.
    if (this.finish && chunk.usage) out.push(...this.end());
    return out;
  }

  /** The closing chunk: function calls, finishReason, usage. */
  end(): GeminiResponse[] {
    if (this.ended) return [];
    this.ended = true;
    const parts = [...this.calls.values()].map((call) =>
      functionCallPart({ id: call.id, function: { name: call.name, arguments: call.arguments } }),
    );
    const last = this.response(parts);
    last.candidates![0].finishReason = geminiFinishOf(this.finish ?? "stop");
    if (this.usage) last.usageMetadata = geminiUsageOfChat(this.usage);
    return [last];
  }

  private response(parts: GeminiPart[]): GeminiResponse {
    return {
      candidates: [{ content: { role: "model", parts }, index: 0 }],
      modelVersion: this.context.model,
      responseId: this.responseId,
    };
  }
}

export function geminiSse(response: GeminiResponse): string {
  return `data: ${JSON.stringify(response)}\r\n\r\n`;
}
