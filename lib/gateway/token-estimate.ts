/**
 * Token counts when the upstream gives none. Two flavours:
 * - `quickPromptTokens`: no tokenizer, used on every request for the reservation; leans
 *   high (3 bytes a token, plus per-message overhead) because a reservation must cover the
 *   worst case.
 * - `countTokens`: gpt-tokenizer, loaded lazily (its tables are large), for the echo model
 *   and for charging a stream that was cut off or abandoned without a usage chunk.
 */
const PER_MESSAGE_OVERHEAD = 4;

export function messageText(messages: unknown[]): string[] {
  const texts: string[] = [];
  for (const message of messages) {
    if (!message || typeof message !== "object") continue;
    const { content, tool_calls: toolCalls } = message as {
      content?: unknown;
      tool_calls?: unknown;
    };
    if (typeof content === "string") texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (
          part &&
          typeof part === "object" &&
          typeof (part as { text?: unknown }).text === "string"
        ) {
          texts.push((part as { text: string }).text);
        } else if (
          part &&
          typeof part === "object" &&
          (part as { type?: unknown }).type !== "text"
        ) {
          // Images, audio, files: the upstream prices them; reserve a generous flat amount.
          texts.push("x".repeat(3 * 1000));
        }
      }
    }
    if (toolCalls !== undefined) texts.push(JSON.stringify(toolCalls));
  }
  return texts;
}

export function quickPromptTokens(body: { messages: unknown[]; tools?: unknown }): number {
  let bytes = 0;
  for (const text of messageText(body.messages)) bytes += Buffer.byteLength(text, "utf8");
  if (body.tools !== undefined) bytes += Buffer.byteLength(JSON.stringify(body.tools), "utf8");
  return Math.ceil(bytes / 3) + PER_MESSAGE_OVERHEAD * body.messages.length + 3;
}

type Counter = (text: string) => number;
let counter: Promise<Counter> | undefined;

function loadCounter(): Promise<Counter> {
  counter ??= import("gpt-tokenizer").then((module) => (text: string) => module.countTokens(text));
  return counter;
}

export async function countTokens(text: string): Promise<number> {
  if (text.length === 0) return 0;
  return (await loadCounter())(text);
}

export async function estimatePromptTokens(messages: unknown[]): Promise<number> {
  const count = await loadCounter();
  let total = 3;
  for (const text of messageText(messages)) total += count(text);
  return total + PER_MESSAGE_OVERHEAD * messages.length;
}
