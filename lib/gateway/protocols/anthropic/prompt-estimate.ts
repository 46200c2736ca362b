import type { AnthropicMessagesRequest } from "../../translate/anthropic-types";

/**
 * The prompt of a Messages request in tokens, for the reservation, without a tokenizer:
 * like quickPromptTokens it leans high (3 bytes a token). Images and documents count a flat
 * amount (Anthropic prices an image by its pixels, ~1,600 tokens for a large one), not their
 * base64 size, which would reserve a hundred times too much.
 */
const MEDIA_TOKENS = 1600;
const PER_MESSAGE_OVERHEAD = 4;

export function messagesPromptTokens(
  request: Pick<AnthropicMessagesRequest, "messages" | "system" | "tools">,
): number {
  let bytes = 0;
  let media = 0;
  const walk = (value: unknown): void => {
    if (typeof value === "string") {
      bytes += Buffer.byteLength(value, "utf8");
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!value || typeof value !== "object") return;
    const block = value as Record<string, unknown>;
    if (block.type === "image" || block.type === "document") {
      media++;
      return;
    }
    if (typeof block.text === "string") bytes += Buffer.byteLength(block.text, "utf8");
    if (typeof block.thinking === "string") bytes += Buffer.byteLength(block.thinking, "utf8");
    if (block.input !== undefined) bytes += Buffer.byteLength(JSON.stringify(block.input), "utf8");
    if (block.content !== undefined) walk(block.content);
  };
  for (const message of request.messages) walk(message.content);
  walk(request.system);
  if (request.tools) bytes += Buffer.byteLength(JSON.stringify(request.tools), "utf8");
  return (
    Math.ceil(bytes / 3) + media * MEDIA_TOKENS + PER_MESSAGE_OVERHEAD * request.messages.length + 3
  );
}

/** The text a Messages request carries (for the tokenizer: count_tokens, and charging without usage). */
export function promptText(body: AnthropicMessagesRequest): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === "string") parts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      const block = value as Record<string, unknown>;
      if (typeof block.text === "string") parts.push(block.text);
      if (typeof block.thinking === "string") parts.push(block.thinking);
      if (block.input !== undefined) parts.push(JSON.stringify(block.input));
      if (block.content !== undefined) walk(block.content);
    }
  };
  body.messages.forEach((message) => walk(message.content));
  walk(body.system);
  if (body.tools) parts.push(JSON.stringify(body.tools));
  return parts.join("\n");
}
