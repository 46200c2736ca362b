import type { AnthropicStreamEvent } from "./anthropic-types";
import { chatIdFrom } from "./messages-answer-to-chat";
import type { ChatChunk } from "./openai-chat-types";
import { finishFromStopReason } from "./stop-reasons";
import { chatUsageOf, usageFromAnthropic, type TokenUsage } from "./usage";

/**
 * Anthropic stream events in, Chat Completions chunks out. text_delta → content,
 * thinking_delta → reasoning_content, a tool_use block → a tool call whose arguments follow
 * its input_json_delta pieces (or, for the JSON-output tool, the content itself).
 * Usage comes in message_start (input, cache) and message_delta (output, cumulative); the
 * usage chunk is written after the finish chunk, as OpenAI does with include_usage.
 */
export interface MessagesStreamContext {
  model: string;
  jsonTool: string | null;
  includeUsage: boolean;
  created?: number;
}

export class MessagesStreamToChat {
  private id = chatIdFrom(undefined);
  private readonly created: number;
  private usage: TokenUsage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  };
  /** Block index → the tool call index it streams into, or "json" for the JSON-output tool. */
  private readonly blocks = new Map<number, number | "json">();
  private toolCount = 0;
  private answeredAsJson = false;
  private finished = false;

  constructor(private readonly context: MessagesStreamContext) {
    this.created = context.created ?? Math.floor(Date.now() / 1000);
  }

  get tokenUsage(): TokenUsage {
    return this.usage;
  }

  push(event: AnthropicStreamEvent): ChatChunk[] {
    switch (event.type) {
      case "message_start":
        this.id = chatIdFrom(event.message.id);
        this.usage = usageFromAnthropic(event.message.usage);
        return [this.chunk({ role: "assistant", content: "" })];
      case "content_block_start": {
        const block = event.content_block;
        if (block.type === "tool_use") {
          if (block.name === this.context.jsonTool) {
            this.blocks.set(event.index, "json");
            this.answeredAsJson = true;
            return [];
          }
          const index = this.toolCount++;
          this.blocks.set(event.index, index);
          return [
            this.chunk({
              tool_calls: [
                {
                  index,
                  id: block.id,
                  type: "function",
                  function: { name: block.name, arguments: "" },
                },
              ],
            }),
          ];
        }
        if (block.type === "text" && block.text) return [this.chunk({ content: block.text })];
        if (block.type === "thinking" && block.thinking)
          return [this.chunk({ reasoning_content: block.thinking })];
        return [];
      }
      case "content_block_delta": {
        const delta = event.delta;
        if (delta.type === "text_delta") return [this.chunk({ content: delta.text })];
        if (delta.type === "thinking_delta")
          return [this.chunk({ reasoning_content: delta.thinking })];
        if (delta.type === "input_json_delta") {
          const target = this.blocks.get(event.index);
          if (target === "json")
            return delta.partial_json ? [this.chunk({ content: delta.partial_json })] : [];
          if (target === undefined || !delta.partial_json) return [];
          return [
            this.chunk({
              tool_calls: [{ index: target, function: { arguments: delta.partial_json } }],
            }),
          ];
        }
        return [];
      }
      case "message_delta": {
        const next = usageFromAnthropic({
          ...event.usage,
          input_tokens: event.usage.input_tokens ?? undefined,
        });
        this.usage = {
          inputTokens: event.usage.input_tokens != null ? next.inputTokens : this.usage.inputTokens,
          outputTokens: next.outputTokens,
          cacheReadTokens:
            event.usage.cache_read_input_tokens != null
              ? next.cacheReadTokens
              : this.usage.cacheReadTokens,
          cacheWriteTokens:
            event.usage.cache_creation_input_tokens != null
              ? next.cacheWriteTokens
              : this.usage.cacheWriteTokens,
        };
        if (!event.delta.stop_reason) return [];
        this.finished = true;
        const finish =
          this.answeredAsJson && this.toolCount === 0
            ? "stop"
            : finishFromStopReason(event.delta.stop_reason);
        return [this.chunk({}, finish)];
      }
      case "message_stop": {
        const out: ChatChunk[] = this.finished ? [] : [this.chunk({}, "stop")];
        if (this.context.includeUsage)
          out.push({ ...this.chunk({}), choices: [], usage: chatUsageOf(this.usage) });
        return out;
      }
      default:
        return [];
    }
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
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
  }
}
