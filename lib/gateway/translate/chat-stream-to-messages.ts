import type {
  AnthropicResponseBlock,
  AnthropicStopReason,
  AnthropicStreamEvent,
} from "./anthropic-types";
import { matchedStopSequence, messageIdFrom } from "./chat-answer-to-messages";
import type { ChatChunk } from "./openai-chat-types";
import { stopReasonFromFinish } from "./stop-reasons";
import { anthropicDeltaUsageOf, anthropicUsageOf, usageFromChat, type TokenUsage } from "./usage";

/**
 * Chat Completions chunks in, Anthropic stream events out, one chunk at a time.
 *
 * Anthropic's stream is a sequence of content blocks, one open at a time: a change of kind
 * (reasoning → text → a tool call) closes the open block and starts the next. Reasoning
 * deltas become thinking_delta, text becomes text_delta, and a tool call's argument pieces
 * become input_json_delta as they arrive. The closing message_delta waits for the usage
 * chunk that follows the finish_reason, so it can carry the real counts.
 */
export interface ChatStreamContext {
  model: string;
  stopSequences?: string[];
  /** input_tokens in message_start; the real count follows in message_delta. */
  inputTokensEstimate: number;
}

type OpenBlock = { kind: "thinking" | "text" } | { kind: "tool"; toolIndex: number };

export class ChatStreamToMessages {
  private started = false;
  private ended = false;
  private nextIndex = 0;
  private open: OpenBlock | null = null;
  private finish: string | null = null;
  private matchedStop: string | null = null;
  private usage: TokenUsage | null = null;
  private readonly toolBlocks = new Map<number, number>();

  constructor(private readonly context: ChatStreamContext) {}

  /** The usage chunk's counts by kind (cached tokens apart), once it has come. */
  get tokenUsage(): TokenUsage | null {
    return this.usage;
  }

  /** The events one upstream chunk stands for (often none: a role-only or usage chunk). */
  push(chunk: ChatChunk): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (this.ended) return events;
    if (!this.started) events.push(...this.start(chunk.id));
    if (chunk.usage) this.usage = usageFromChat(chunk.usage);
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (!choice) return events;
    const delta = choice.delta ?? {};
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning)
      events.push(
        ...this.into({ kind: "thinking" }),
        this.delta({ type: "thinking_delta", thinking: reasoning }),
      );
    const text = delta.content ?? delta.refusal;
    if (text) events.push(...this.into({ kind: "text" }), this.delta({ type: "text_delta", text }));
    for (const call of delta.tool_calls ?? []) {
      const toolIndex = call.index ?? 0;
      const current = this.open?.kind === "tool" && this.open.toolIndex === toolIndex;
      const earlier = this.toolBlocks.get(toolIndex);
      if (!current && earlier === undefined) {
        events.push(...this.close());
        this.toolBlocks.set(toolIndex, this.nextIndex);
        events.push(
          this.startBlock({
            type: "tool_use",
            id: call.id ?? `toolu_${toolIndex}`,
            name: call.function?.name ?? "",
            input: {},
            caller: { type: "direct" },
          }),
        );
        this.open = { kind: "tool", toolIndex };
      }
      if (call.function?.arguments) {
        // Servers stream tool calls one after another; a late piece of an earlier call
        // still goes to its own block (clients gather deltas by index).
        const index = current || earlier === undefined ? this.nextIndex : earlier;
        events.push({
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: call.function.arguments },
        });
      }
    }
    if (choice.finish_reason) {
      this.finish = choice.finish_reason;
      this.matchedStop = matchedStopSequence(choice.stop_reason, this.context.stopSequences);
    }
    return events;
  }

  /** The closing events, once the upstream stream has ended well. */
  end(): AnthropicStreamEvent[] {
    if (this.ended) return [];
    const events: AnthropicStreamEvent[] = this.started ? [] : this.start(undefined);
    events.push(...this.close());
    this.ended = true;
    const usage = this.usage ?? {
      inputTokens: this.context.inputTokensEstimate,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    };
    const stopReason: AnthropicStopReason =
      stopReasonFromFinish(this.finish ?? "stop", this.matchedStop) ?? "end_turn";
    events.push(
      {
        type: "message_delta",
        delta: {
          stop_reason: stopReason,
          stop_sequence: stopReason === "stop_sequence" ? this.matchedStop : null,
          container: null,
          stop_details: null,
        },
        usage: anthropicDeltaUsageOf(usage),
      },
      { type: "message_stop" },
    );
    return events;
  }

  /** An error event ends the stream: Anthropic's SDK raises it. */
  fail(type: string, message: string): AnthropicStreamEvent[] {
    if (this.ended) return [];
    this.ended = true;
    return [{ type: "error", error: { type, message } }];
  }

  private start(chunkId: string | undefined): AnthropicStreamEvent[] {
    this.started = true;
    return [
      {
        type: "message_start",
        message: {
          id: messageIdFrom(chunkId),
          type: "message",
          role: "assistant",
          model: this.context.model,
          content: [],
          container: null,
          diagnostics: null,
          stop_details: null,
          stop_reason: null,
          stop_sequence: null,
          usage: anthropicUsageOf({
            inputTokens: this.context.inputTokensEstimate,
            outputTokens: 0,
            cacheReadTokens: 0,
            cacheWriteTokens: 0,
          }),
        },
      },
      { type: "ping" },
    ];
  }

  private into(block: { kind: "thinking" | "text" }): AnthropicStreamEvent[] {
    if (this.open?.kind === block.kind) return [];
    const events = this.close();
    events.push(
      this.startBlock(
        block.kind === "text"
          ? { type: "text", text: "", citations: null }
          : { type: "thinking", thinking: "", signature: "" },
      ),
    );
    this.open = block;
    return events;
  }

  private startBlock(content_block: AnthropicResponseBlock): AnthropicStreamEvent {
    return { type: "content_block_start", index: this.nextIndex, content_block };
  }

  private delta(
    delta: Extract<AnthropicStreamEvent, { type: "content_block_delta" }>["delta"],
  ): AnthropicStreamEvent {
    return { type: "content_block_delta", index: this.nextIndex, delta };
  }

  private close(): AnthropicStreamEvent[] {
    if (!this.open) return [];
    this.open = null;
    return [{ type: "content_block_stop", index: this.nextIndex++ }];
  }
}

/** One event as Anthropic writes it on the wire. */
export function anthropicSse(event: AnthropicStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
