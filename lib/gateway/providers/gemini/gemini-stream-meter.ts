import type { ApiError } from "@/lib/errors/api-error";
import { cleanUpstreamError, sseEvent } from "../../relay/upstream-error-event";
import type { RelayState } from "../../relay/relay-loop";
import type { SseEvent } from "../../relay/sse-split";
import { StreamMeterBase } from "../../relay/stream-meter-base";
import { geminiErrorBody } from "../../translate/gemini/gemini-error";
import type { GeminiResponse, GeminiUsage } from "../../translate/gemini/gemini-types";
import { tokenUsageOfGemini } from "../../translate/gemini/gemini-usage";
import type { TokenUsage } from "../../translate/usage";

/**
 * The metering of a Gemini `alt=sse` stream, one event at a time (relay-loop.ts forwards
 * each untouched; this decides), as the chat and Anthropic meters do for theirs:
 * - every chunk is a whole GenerateContentResponse; usageMetadata, when a chunk has it, is
 *   the answer's so far (the last one is final, cached and thought tokens included);
 * - when the budget set the token cap and the upstream goes past it (more parts of output
 *   than the cap: each holds at least one token), the stream ends the way Gemini ends one at
 *   its cap: a last chunk with finishReason MAX_TOKENS;
 * - an upstream that dies, times out or sends garbage ends the stream with an error event in
 *   Google's envelope (the GenAI SDK raises it), never a silent truncation.
 */
export interface GeminiStreamOutcome extends RelayState {
  usage: TokenUsage | null;
  completionText: string;
  produced: boolean;
  cut: boolean;
  hitLength: boolean;
}

export class GeminiStreamMeter extends StreamMeterBase<GeminiStreamOutcome> {
  private usage: GeminiUsage | null = null;
  private finished = false;
  private deltas = 0;

  constructor(private readonly cutAfterDeltas: number | null) {
    super();
  }

  push(message: SseEvent): string | undefined {
    if (message.data === null) return undefined;
    let parsed: GeminiResponse & { error?: unknown };
    try {
      parsed = JSON.parse(message.data) as typeof parsed;
    } catch {
      return this.malformed();
    }
    if (parsed === null || typeof parsed !== "object") return this.malformed();
    if (parsed.error) {
      this.upstreamErrorEvent = true;
      return sseEvent(
        message.event,
        { error: cleanUpstreamError(parsed.error, this.secrets) },
        "\r\n\r\n",
      );
    }
    const candidate = parsed.candidates?.[0];
    const pieces = (candidate?.content?.parts ?? [])
      .map((part) => part.text ?? (part.functionCall ? JSON.stringify(part.functionCall) : ""))
      .filter(Boolean);
    if (this.cutAfterDeltas !== null && pieces.length) {
      if (this.deltas + pieces.length > this.cutAfterDeltas) return this.cutNow(parsed);
      this.deltas += pieces.length;
    }
    pieces.forEach((piece) => this.addText(piece));
    if (parsed.usageMetadata) this.usage = parsed.usageMetadata;
    if (candidate?.finishReason) {
      this.finished = true;
      if (candidate.finishReason === "MAX_TOKENS") this.hitLength = true;
    }
    return undefined;
  }

  private cutNow(chunk: GeminiResponse): string {
    const output = Math.max(this.usage?.candidatesTokenCount ?? 0, this.deltas);
    this.usage = {
      ...(this.usage ?? {}),
      candidatesTokenCount: output,
      totalTokenCount: (this.usage?.promptTokenCount ?? 0) + output,
    };
    const last: GeminiResponse = {
      candidates: [{ content: { role: "model", parts: [] }, finishReason: "MAX_TOKENS", index: 0 }],
      usageMetadata: this.usage,
      modelVersion: chunk.modelVersion,
      responseId: chunk.responseId,
    };
    this.cut = true;
    this.hitLength = true;
    this.stopped = true;
    return `data: ${JSON.stringify(last)}\r\n\r\n`;
  }

  protected endedWhole(): string | null {
    return this.finished ? "" : null;
  }

  protected errorEvent(error: ApiError): string {
    return `data: ${JSON.stringify(geminiErrorBody(error))}\r\n\r\n`;
  }

  protected textOf(data: string): string {
    return data;
  }

  outcome(): GeminiStreamOutcome {
    return {
      ...this.state,
      // Prompt counts come with the first usageMetadata; output ones are final only at the end.
      usage: this.usage && (this.finished || this.cut) ? tokenUsageOfGemini(this.usage) : null,
      completionText: this.text.join(""),
      produced: this.produced,
      cut: this.cut,
      hitLength: this.hitLength,
    };
  }
}
