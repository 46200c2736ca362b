import { EventSourceParserStream } from "eventsource-parser/stream";

/**
 * The Playground's side of the SSE `/v1` sends: each chunk's text as it arrives, the usage
 * chunk at the end, and an error event (OpenAI's envelope, sent when the model server
 * fails mid-stream or the key's limit cuts it) as a thrown PlaygroundError.
 */
export type ChatStreamEvent =
  | { type: "delta"; content: string }
  | { type: "usage"; promptTokens: number; completionTokens: number }
  | { type: "finish"; reason: string };

export class PlaygroundError extends Error {
  /** The HTTP status and the gateway's x-request-id, set by the caller: what an operator asks for. */
  status?: number;
  requestId?: string;

  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = "PlaygroundError";
  }
}

interface Chunk {
  error?: { message?: unknown; code?: unknown };
  choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
}

export async function* readChatStream(
  body: ReadableStream<BufferSource>,
): AsyncGenerator<ChatStreamEvent> {
  const events = body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value.data === "[DONE]") return;
      let chunk: Chunk;
      try {
        chunk = JSON.parse(value.data);
      } catch {
        throw new PlaygroundError(
          "The server sent something that is not part of a chat stream.",
          null,
        );
      }
      if (chunk.error)
        throw (
          errorFromEnvelope(chunk) ??
          new PlaygroundError("The model server reported an error.", null)
        );
      const choice = chunk.choices?.[0];
      if (typeof choice?.delta?.content === "string" && choice.delta.content !== "") {
        yield { type: "delta", content: choice.delta.content };
      }
      if (typeof choice?.finish_reason === "string")
        yield { type: "finish", reason: choice.finish_reason };
      if (chunk.usage) {
        yield {
          type: "usage",
          promptTokens: Number(chunk.usage.prompt_tokens ?? 0),
          completionTokens: Number(chunk.usage.completion_tokens ?? 0),
        };
      }
    }
  } finally {
    // Stop (an aborted fetch) lands here too: cancelling releases the connection at once.
    await reader.cancel().catch(() => undefined);
  }
}

/** A non-2xx answer's envelope, or a readable message when it has none (a proxy's HTML page). */
export async function errorFromResponse(response: Response): Promise<PlaygroundError> {
  const body: unknown = await response.json().catch(() => null);
  return (
    errorFromEnvelope(body) ??
    new PlaygroundError(`The server answered with status ${response.status}.`, null)
  );
}

function errorFromEnvelope(body: unknown): PlaygroundError | null {
  const error = (body as Chunk | null)?.error;
  if (!error || typeof error.message !== "string") return null;
  return new PlaygroundError(error.message, typeof error.code === "string" ? error.code : null);
}
