import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { AnthropicStreamEvent } from "./anthropic-types";
import { anthropicSse, type ChatStreamToMessages } from "./chat-stream-to-messages";
import type { MessagesStreamToChat } from "./messages-stream-to-chat";
import type { ChatChunk } from "./openai-chat-types";

/**
 * A relayed stream in one protocol, re-written event by event in the other. The source is
 * the metering relay's output (relaySse or relayAnthropicSse), so cuts at a key's limit and
 * upstream failures arrive already as events of the source protocol and come out as their
 * counterparts. Closing this generator closes the source, which aborts the upstream.
 */
async function* reparse(
  source: AsyncIterable<string | Uint8Array>,
  onEvent: (event: EventSourceMessage) => string,
  onEnd: () => string,
): AsyncGenerator<string> {
  let out = "";
  const parser = createParser({ onEvent: (event) => (out += onEvent(event)) });
  const decoder = new TextDecoder();
  for await (const piece of source) {
    parser.feed(typeof piece === "string" ? piece : decoder.decode(piece, { stream: true }));
    if (out) {
      const pending = out;
      out = "";
      yield pending;
    }
  }
  const tail = out + onEnd();
  if (tail) yield tail;
}

/** Chat Completions SSE (with the usage chunk) → Anthropic Messages SSE. */
export function chatSseAsMessagesSse(
  source: AsyncIterable<string | Uint8Array>,
  translator: ChatStreamToMessages,
): AsyncGenerator<string> {
  let failed = false;
  const write = (events: AnthropicStreamEvent[]) => events.map(anthropicSse).join("");
  return reparse(
    source,
    (event) => {
      if (failed) return "";
      if (event.data === "[DONE]") return write(translator.end());
      let chunk: ChatChunk & { error?: { message?: string; code?: string } };
      try {
        chunk = JSON.parse(event.data) as typeof chunk;
      } catch {
        return "";
      }
      if (chunk.error) {
        failed = true;
        const type = chunk.error.code === "upstream_timeout" ? "timeout_error" : "api_error";
        return write(translator.fail(type, chunk.error.message ?? "The model server failed."));
      }
      return write(translator.push(chunk));
    },
    // No [DONE] and no error: the client left (the relay has nothing more to say).
    () => "",
  );
}

/** Anthropic Messages SSE → Chat Completions SSE, ending with [DONE]. */
export function messagesSseAsChatSse(
  source: AsyncIterable<string | Uint8Array>,
  translator: MessagesStreamToChat,
): AsyncGenerator<string> {
  let done = false;
  const write = (chunks: ChatChunk[]) =>
    chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("");
  return reparse(
    source,
    (event) => {
      if (done) return "";
      let parsed: AnthropicStreamEvent & {
        error?: { type?: string; message?: string; code?: string };
      };
      try {
        parsed = JSON.parse(event.data) as typeof parsed;
      } catch {
        return "";
      }
      if (parsed.type === "error") {
        done = true;
        const error = parsed.error ?? {};
        return `data: ${JSON.stringify({ error: { message: error.message ?? "The model server failed.", type: error.type ?? "api_error", param: null, code: error.code ?? "upstream_error" } })}\n\n`;
      }
      const text = write(translator.push(parsed));
      if (parsed.type === "message_stop") {
        done = true;
        return `${text}data: [DONE]\n\n`;
      }
      return text;
    },
    () => "",
  );
}
