import { ApiError } from "@/lib/errors/api-error";
import { gatewayErrors } from "../gateway-error";
import { SseSplitter } from "./sse-split";
import type { UpstreamResponse } from "./upstream-client";
import { transportFailure, withFailure } from "./attempt-failure";

/**
 * PRODUCT.md's streaming contract: the gateway may fail over until the first byte of the
 * answer reaches the client, so a stream's opening events that carry no content (a role-only
 * delta, empty deltas, Responses' `response.created`/`in_progress`, Anthropic's
 * `message_start`/`ping`) are held back until content arrives. An upstream that breaks,
 * sends an error event, ends, or stays silent past the first-byte timeout before any content
 * throws here, before the client has seen anything, and the attempt loop tries elsewhere.
 * Once content arrives, the held bytes and the rest flow on untouched.
 */
export async function holdOpening(
  response: UpstreamResponse,
  firstByteTimeoutMs: number,
  startedAt: number,
): Promise<UpstreamResponse> {
  if (!response.contentType.includes("text/event-stream")) return response;
  const iterator = response.body[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  const splitter = new SseSplitter();
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    const left = Math.max(1, startedAt + firstByteTimeoutMs - Date.now());
    timer = setTimeout(() => reject(silentError()), left);
  });
  silent.catch(() => undefined);
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await Promise.race([iterator.next(), silent]);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw withFailure(gatewayErrors.upstreamError(), transportFailure(error));
      }
      if (next.done) throw brokenBeforeContent();
      held.push(next.value);
      const { events } = splitter.push(next.value);
      let content = false;
      for (const event of events) {
        const verdict = judge(event.event, event.data);
        if (verdict === "error") throw brokenBeforeContent();
        if (verdict === "content") content = true;
      }
      if (content) break;
    }
  } catch (error) {
    response.discard();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { ...response, body: replay(held, iterator) };
}

/**
 * The held chunks, then the rest straight from the upstream's own iterator: no generator in
 * between, so a relayed chunk costs what it cost before.
 */
function replay(
  held: Uint8Array[],
  iterator: AsyncIterator<Uint8Array>,
): AsyncIterable<Uint8Array> {
  let index = 0;
  const rest: AsyncIterator<Uint8Array> = {
    next() {
      if (index < held.length) return Promise.resolve({ done: false, value: held[index++] });
      return iterator.next();
    },
    return(value?: unknown) {
      index = held.length;
      return iterator.return
        ? iterator.return(value)
        : Promise.resolve({ done: true, value: undefined });
    },
  };
  return { [Symbol.asyncIterator]: () => rest };
}

const silentError = () =>
  withFailure(gatewayErrors.upstreamTimeout("The model server sent no answer in time."), {
    kind: "first-byte-timeout",
  });

const brokenBeforeContent = () =>
  withFailure(gatewayErrors.upstreamError("The model server's stream ended before any content."), {
    kind: "stream-broken-before-content",
  });

const OPENING_TYPES = new Set([
  "response.created",
  "response.in_progress",
  "message_start",
  "ping",
]);

/** One event: content (the answer has begun), opening (may be held), or an error. */
function judge(name: string | undefined, data: string | null): "content" | "opening" | "error" {
  if (data === null) return "opening"; // a comment or keep-alive
  if (data === "[DONE]") return "error"; // finished without a word: nothing was answered
  if (name === "error") return "error";
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return "opening"; // malformed: the relay skips it; it is not content
  }
  if (!parsed || typeof parsed !== "object") return "opening";
  if ("error" in parsed && parsed.error) return "error";
  const type = typeof parsed.type === "string" ? parsed.type : null;
  if (type === "error" || type === "response.failed") return "error";
  if (type !== null) return OPENING_TYPES.has(type) ? "opening" : "content";
  // Gemini's GenerateContentResponse chunks: a part with text or a call, or a finish reason.
  if (Array.isArray(parsed.candidates)) return geminiVerdict(parsed.candidates);
  // Chat Completions or legacy completions chunks.
  const choices = Array.isArray(parsed.choices) ? (parsed.choices as Record<string, any>[]) : [];
  if (parsed.usage && choices.length === 0) return "content";
  for (const choice of choices) {
    if (choice.finish_reason) return "content";
    if (typeof choice.text === "string" && choice.text !== "") return "content";
    const delta = choice.delta as Record<string, unknown> | undefined;
    if (!delta) continue;
    for (const key of ["content", "reasoning_content", "reasoning", "refusal"])
      if (typeof delta[key] === "string" && delta[key] !== "") return "content";
    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) return "content";
  }
  return "opening";
}

function geminiVerdict(candidates: Record<string, any>[]): "content" | "opening" {
  for (const candidate of candidates) {
    if (candidate?.finishReason) return "content";
    const parts = Array.isArray(candidate?.content?.parts) ? candidate.content.parts : [];
    for (const part of parts as Record<string, unknown>[]) {
      if (typeof part.text === "string" && part.text !== "") return "content";
      if (part.functionCall || part.inlineData || part.executableCode) return "content";
    }
  }
  return "opening";
}
