import type { ChatChunk } from "../openai-chat-types";
import { chatFinishOf, chatUsageOfGemini, tokenUsageOfGemini } from "./gemini-usage";
import type { GeminiResponse, GeminiUsage } from "./gemini-types";
import type { TokenUsage } from "../usage";

/**
 * Gemini SSE chunks in (each a GenerateContentResponse with that moment's new parts),
 * chat chunks out: the role first, thoughts as reasoning_content, text as content, each
 * functionCall as one whole tool-call delta, then the finish_reason and — when the client
 * asked for it — the usage chunk. Gemini repeats usageMetadata on chunks; the last one is
 * the answer's.
 */
export class GeminiStreamToChat {
  private started = false;
  private ended = false;
  private calls = 0;
  private finish: string | null = null;
  private usage: GeminiUsage | null = null;
  private id = "chatcmpl-gemini";
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(private readonly context: { model: string; includeUsage: boolean }) {}

  /** The answer's usage by kind, once a chunk has carried it. */
  get tokenUsage(): TokenUsage | null {
    return this.usage ? tokenUsageOfGemini(this.usage) : null;
  }

  push(response: GeminiResponse): ChatChunk[] {
    if (this.ended) return [];
    const out: ChatChunk[] = [];
    if (!this.started) {
      this.started = true;
      if (response.responseId) this.id = `chatcmpl-${response.responseId}`;
      out.push(this.chunk({ role: "assistant", content: "" }));
    }
    if (response.usageMetadata) this.usage = response.usageMetadata;
    const candidate = response.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall) {
        out.push(
          this.chunk({
            tool_calls: [
              {
                index: this.calls,
                id: part.functionCall.id || `call_0_${this.calls}`,
                type: "function",
                function: {
                  name: part.functionCall.name ?? "",
                  arguments: JSON.stringify(part.functionCall.args ?? {}),
                },
              },
            ],
          }),
        );
        this.calls++;
      } else if (typeof part.text === "string" && part.text) {
        out.push(
          this.chunk(part.thought ? { reasoning_content: part.text } : { content: part.text }),
        );
      }
    }
    if (candidate?.finishReason) this.finish = candidate.finishReason;
    if (!response.candidates?.length && response.promptFeedback?.blockReason)
      this.finish = "SAFETY";
    return out;
  }

  /** The finish chunk and the usage chunk, when the stream ends. */
  end(): ChatChunk[] {
    if (this.ended) return [];
    this.ended = true;
    const out: ChatChunk[] = [];
    if (!this.started) out.push(this.chunk({ role: "assistant", content: "" }));
    out.push(this.chunk({}, chatFinishOf(this.finish ?? "STOP", this.calls > 0) ?? "stop"));
    if (this.context.includeUsage) {
      const usage = this.chunk({}, null);
      usage.choices = [];
      usage.usage = chatUsageOfGemini(this.usage);
      out.push(usage);
    }
    return out;
  }

  private chunk(
    delta: ChatChunk["choices"][number]["delta"],
    finish: string | null = null,
  ): ChatChunk {
    return {
      id: this.id,
      object: "chat.completion.chunk",
      created: this.created,
      model: this.context.model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    };
  }
}
