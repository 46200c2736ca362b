import type { AnthropicStopReason } from "./anthropic-types";
import type { ChatFinishReason } from "./openai-chat-types";

/** Chat Completions' finish_reason as Anthropic's stop_reason. */
export function stopReasonFromFinish(
  finish: string | null | undefined,
  matchedStop: string | null = null,
): AnthropicStopReason | null {
  switch (finish) {
    case null:
    case undefined:
      return null;
    case "stop":
      return matchedStop ? "stop_sequence" : "end_turn";
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

/** Anthropic's stop_reason as Chat Completions' finish_reason. */
export function finishFromStopReason(reason: string | null | undefined): ChatFinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case "end_turn":
    case "stop_sequence":
    // A paused server-tool turn ends the answer as far as a Chat client can tell.
    case "pause_turn":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}
