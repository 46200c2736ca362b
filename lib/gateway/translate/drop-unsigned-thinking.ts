import type { AnthropicMessagesRequest } from "./anthropic-types";

/**
 * A conversation going back to Anthropic may hold thinking blocks a translation made from
 * another model's reasoning (a Messages client on an OpenAI-compatible or Gemini model gets
 * them with `signature: ""`). Claude refuses a thinking block whose signature it did not
 * sign, so unsigned ones are dropped; blocks with a real signature (and redacted_thinking)
 * go back untouched. The request is returned as it came when there is nothing to drop.
 */
export function dropUnsignedThinking<T extends Pick<AnthropicMessagesRequest, "messages">>(
  request: T,
): T {
  const unsigned = (block: unknown) => {
    const b = block as { type?: unknown; signature?: unknown };
    return b?.type === "thinking" && (typeof b.signature !== "string" || b.signature === "");
  };
  if (
    !request.messages.some(
      (message) =>
        message.role === "assistant" &&
        Array.isArray(message.content) &&
        message.content.some(unsigned),
    )
  )
    return request;
  return {
    ...request,
    messages: request.messages.map((message) =>
      message.role === "assistant" && Array.isArray(message.content)
        ? { ...message, content: message.content.filter((block) => !unsigned(block)) }
        : message,
    ),
  };
}
