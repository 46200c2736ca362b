import type { ApiError } from "@/lib/errors/api-error";
import { cleanUpstreamError, sseEvent } from "../../relay/upstream-error-event";
import type { RelayState } from "../../relay/relay-loop";
import type { SseEvent } from "../../relay/sse-split";
import { StreamMeterBase } from "../../relay/stream-meter-base";
import { anthropicErrorType } from "../../../errors/anthropic-envelope";
import { usageFromAnthropic, type TokenUsage } from "../../translate/usage";

/**
 * The metering of an Anthropic Messages stream, one event at a time, apart from any I/O
 * (relay-loop.ts forwards every event untouched; this decides), as chat-stream-meter.ts does
 * for Chat Completions:
 * - usage comes in message_start (input and cache tokens) and message_delta (output so far);
 * - when the budget set the token cap and the upstream goes past it (more output deltas than
 *   the cap: each delta carries at least one token), the stream is ended the way Anthropic
 *   ends one at max_tokens (content_block_stop, message_delta with stop_reason "max_tokens",
 *   message_stop);
 * - an upstream that dies, times out or sends garbage ends the stream with an `error`
 *   event in Anthropic's envelope (the SDK raises it), never a silent truncation.
 * A content_block_delta named as such by its `event:` line is forwarded unread unless the
 * budget can cut; its text is read only if the stream ends before its final usage.
 */
export interface AnthropicStreamOutcome extends RelayState {
  usage: TokenUsage | null;
  /** The usage's output count is the upstream's final one (a message_delta came, or the cut's). */
  finalUsage: boolean;
  completionText: string;
  produced: boolean;
  cut: boolean;
  hitLength: boolean;
}

interface EventShape {
  type?: string;
  index?: number;
  message?: { usage?: Record<string, number | null> };
  usage?: Record<string, number | null>;
  delta?: {
    type?: string;
    text?: string;
    thinking?: string;
    partial_json?: string;
    stop_reason?: string | null;
  };
}

export class AnthropicStreamMeter extends StreamMeterBase<AnthropicStreamOutcome> {
  private usage: TokenUsage | null = null;
  private finalUsage = false;
  private deltas = 0;
  private sawStop = false;
  private openBlock: number | null = null;

  constructor(private readonly cutAfterDeltas: number | null) {
    super();
  }

  push(message: SseEvent): string | undefined {
    const data = message.data;
    if (data === null) return undefined;
    if (
      message.event === "content_block_delta" &&
      this.cutAfterDeltas === null &&
      data.charCodeAt(0) === 123 &&
      data.charCodeAt(data.length - 1) === 125
    ) {
      this.keepUnread(data);
      return undefined;
    }
    let parsed: EventShape;
    try {
      parsed = JSON.parse(data) as EventShape;
    } catch {
      return this.malformed();
    }
    if (parsed === null || typeof parsed !== "object") return this.malformed();
    if (
      parsed.type === "content_block_delta" &&
      this.cutAfterDeltas !== null &&
      deltaPiece(parsed)
    ) {
      // The delta that would go past the cap is not forwarded: the stream ends here.
      if (this.deltas + 1 > this.cutAfterDeltas) return this.cutNow();
      this.deltas++;
    }
    switch (parsed.type) {
      case "message_start":
        this.usage = usageFromAnthropic(parsed.message?.usage as never);
        break;
      case "content_block_start":
        this.openBlock = parsed.index ?? null;
        break;
      case "content_block_stop":
        this.openBlock = null;
        break;
      case "content_block_delta":
        this.addText(deltaPiece(parsed));
        break;
      case "message_delta": {
        // Cumulative counts; a member left out keeps what message_start said.
        const usage = parsed.usage ?? {};
        const before = this.usage ?? emptyUsage();
        const next = usageFromAnthropic(usage as never);
        this.usage = {
          inputTokens: usage.input_tokens != null ? next.inputTokens : before.inputTokens,
          outputTokens: usage.output_tokens != null ? next.outputTokens : before.outputTokens,
          cacheReadTokens:
            usage.cache_read_input_tokens != null ? next.cacheReadTokens : before.cacheReadTokens,
          cacheWriteTokens:
            usage.cache_creation_input_tokens != null
              ? next.cacheWriteTokens
              : before.cacheWriteTokens,
        };
        this.finalUsage = true;
        if (parsed.delta?.stop_reason === "max_tokens") this.hitLength = true;
        break;
      }
      case "message_stop":
        this.sawStop = true;
        break;
      case "error":
        this.upstreamErrorEvent = true;
        return sseEvent(message.event ?? "error", {
          type: "error",
          error: cleanUpstreamError((parsed as { error?: unknown }).error, this.secrets),
        });
    }
    return undefined;
  }

  private cutNow(): string {
    let out = "";
    if (this.openBlock !== null)
      out += event({ type: "content_block_stop", index: this.openBlock });
    const usage = {
      ...(this.usage ?? emptyUsage()),
      outputTokens: Math.max(this.usage?.outputTokens ?? 0, this.deltas),
    };
    this.usage = usage;
    this.finalUsage = true;
    out += event({
      type: "message_delta",
      delta: {
        stop_reason: "max_tokens",
        stop_sequence: null,
        container: null,
        stop_details: null,
      },
      usage: {
        input_tokens: usage.inputTokens,
        output_tokens: usage.outputTokens,
        cache_read_input_tokens: usage.cacheReadTokens,
        cache_creation_input_tokens: usage.cacheWriteTokens,
        output_tokens_details: null,
        server_tool_use: null,
      },
    });
    out += event({ type: "message_stop" });
    this.cut = true;
    this.hitLength = true;
    this.stopped = true;
    return out;
  }

  protected endedWhole(): string | null {
    return this.sawStop ? "" : null;
  }

  protected errorEvent(error: ApiError): string {
    return anthropicErrorEvent(error);
  }

  protected textOf(data: string): string {
    return deltaPiece(JSON.parse(data) as EventShape);
  }

  outcome(): AnthropicStreamOutcome {
    // The text of unread deltas matters only for an estimate, made without a final usage.
    this.settleUnread(!this.finalUsage);
    return {
      ...this.state,
      usage: this.usage,
      finalUsage: this.finalUsage,
      completionText: this.text.join(""),
      produced: this.produced,
      cut: this.cut,
      hitLength: this.hitLength,
    };
  }
}

const deltaPiece = (event: EventShape) =>
  event?.delta?.text ?? event?.delta?.thinking ?? event?.delta?.partial_json ?? "";

const emptyUsage = (): TokenUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
});

function event(payload: { type: string } & Record<string, unknown>): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

export function anthropicErrorEvent(error: ApiError): string {
  return event({
    type: "error",
    error: { type: anthropicErrorType(error.status), message: error.message, code: error.code },
  });
}
