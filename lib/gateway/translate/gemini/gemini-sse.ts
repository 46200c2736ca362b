import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { ChatChunk } from "../openai-chat-types";
import { geminiSse, type ChatStreamToGemini } from "./chat-stream-to-gemini";
import { googleStatusOf } from "./gemini-error";
import type { GeminiStreamToChat } from "./gemini-stream-to-chat";
import type { GeminiResponse } from "./gemini-types";

/**
 * Streams re-written event by event between chat's SSE and Gemini's (`alt=sse`). The source
 * is the metering relay's output, so a cut at a key's limit or an upstream failure arrives
 * as the source protocol's error event and leaves as the other's. Closing the generator
 * closes the source, which aborts the upstream.
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

interface StreamError {
  message?: string;
  code?: string;
  status?: number;
}

/** Chat Completions SSE (with its usage chunk) → Gemini SSE; a mid-stream error in Google's envelope. */
export function chatSseAsGeminiSse(
  source: AsyncIterable<string | Uint8Array>,
  translator: ChatStreamToGemini,
): AsyncGenerator<string> {
  let failed = false;
  const write = (responses: GeminiResponse[]) => responses.map(geminiSse).join("");
  return reparse(
    source,
    (event) => {
      if (failed) return "";
      if (event.data === "[DONE]") return write(translator.end());
      let chunk: ChatChunk & { error?: StreamError };
      try {
        chunk = JSON.parse(event.data) as typeof chunk;
      } catch {
        return "";
      }
      if (chunk.error) {
        failed = true;
        const status = chunk.error.code === "upstream_timeout" ? 504 : 502;
        return `data: ${JSON.stringify({
          error: {
            code: status,
            message: chunk.error.message ?? "The model server failed.",
            status: googleStatusOf(status),
            details: [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                reason: chunk.error.code ?? "upstream_error",
                domain: "modelbridge",
              },
            ],
          },
        })}\r\n\r\n`;
      }
      return write(translator.push(chunk));
    },
    () => "",
  );
}

/** Gemini SSE → Chat Completions SSE, ending with [DONE]; Google's error event as chat's. */
export function geminiSseAsChatSse(
  source: AsyncIterable<string | Uint8Array>,
  translator: GeminiStreamToChat,
): AsyncGenerator<string> {
  let failed = false;
  const write = (chunks: ChatChunk[]) =>
    chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("");
  return reparse(
    source,
    (event) => {
      if (failed) return "";
      let parsed: GeminiResponse & { error?: StreamError & { code?: number | string } };
      try {
        parsed = JSON.parse(event.data) as typeof parsed;
      } catch {
        return "";
      }
      if (parsed.error) {
        failed = true;
        return `data: ${JSON.stringify({
          error: {
            message: parsed.error.message ?? "The model server failed.",
            type: "api_error",
            param: null,
            code: typeof parsed.error.code === "string" ? parsed.error.code : "upstream_error",
          },
        })}\n\n`;
      }
      return write(translator.push(parsed));
    },
    () => (failed ? "" : `${write(translator.end())}data: [DONE]\n\n`),
  );
}
