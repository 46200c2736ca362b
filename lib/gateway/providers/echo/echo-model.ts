import { randomBytes } from "node:crypto";
import type { ClientSignal } from "../../client-signal";
import { chatPrompt } from "../../pipeline/request-prompt";
import { preloadTokenizer } from "../../relay/token-estimate";
import type { UpstreamResponse } from "../../relay/upstream-client";

/**
 * `modelbridge/echo`: a model server inside the process, so that a fresh install works
 * end to end with no GPU. It behaves like an OpenAI-compatible upstream — the same JSON and
 * SSE, honouring max_tokens (finish_reason "length"), n and include_usage, with real token
 * counts from gpt-tokenizer — and goes through the same relay and metering as any model.
 */
export interface EchoOptions {
  /** Delay between streamed chunks, so that the demo visibly streams. */
  paceMs: number;
  signal: ClientSignal;
}

interface EchoBody {
  model: string;
  messages: unknown[];
  stream?: boolean | null;
  n?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stream_options?: { include_usage?: boolean } | null;
}

const encoder = new TextEncoder();

export async function echoResponse(
  body: EchoBody,
  options: EchoOptions,
): Promise<UpstreamResponse> {
  const tokenizer = await import("gpt-tokenizer");
  const wanted = echoText(body.messages);
  const limit = body.max_completion_tokens ?? body.max_tokens ?? Number.MAX_SAFE_INTEGER;
  const allTokens = tokenizer.encode(wanted, { disallowedSpecial: new Set() });
  const tokens = allTokens.slice(0, Math.max(0, limit));
  const content = tokens.length === allTokens.length ? wanted : tokenizer.decode(tokens);
  const finishReason = tokens.length < allTokens.length ? "length" : "stop";
  const n = body.n ?? 1;
  await preloadTokenizer();
  // The demo model bills as a real one would: every billable part of the request.
  const promptTokens = chatPrompt(body as unknown as Record<string, unknown>, "openai").count;
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: tokens.length * n,
    total_tokens: promptTokens + tokens.length * n,
  };
  const id = `chatcmpl-echo${randomBytes(9).toString("hex")}`;
  const created = Math.floor(Date.now() / 1000);
  const base = { id, created, model: body.model, system_fingerprint: "modelbridge-echo" };

  if (!body.stream) {
    const choices = Array.from({ length: n }, (_, index) => ({
      index,
      message: { role: "assistant", content, refusal: null },
      logprobs: null,
      finish_reason: finishReason,
    }));
    const json = JSON.stringify({ ...base, object: "chat.completion", choices, usage });
    return {
      status: 200,
      contentType: "application/json",
      body: once(encoder.encode(json)),
      discard: () => {},
    };
  }

  const includeUsage = body.stream_options?.include_usage === true;
  const pieces = content.match(/\s*\S+/g) ?? [];
  async function* events(): AsyncGenerator<Uint8Array> {
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      encoder.encode(
        `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices, ...extra })}\n\n`,
      );
    const each = (delta: Record<string, unknown>, finish: string | null) =>
      Array.from({ length: n }, (_, index) => ({
        index,
        delta,
        logprobs: null,
        finish_reason: finish,
      }));
    yield chunk(each({ role: "assistant", content: "" }, null));
    for (const piece of pieces) {
      if (options.signal.aborted) return;
      if (options.paceMs > 0) await sleep(options.paceMs);
      yield chunk(each({ content: piece }, null));
    }
    yield chunk(each({}, finishReason));
    if (includeUsage) yield chunk([], { usage });
    yield encoder.encode("data: [DONE]\n\n");
  }
  return { status: 200, contentType: "text/event-stream", body: events(), discard: () => {} };
}

function echoText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: string; content?: unknown };
    if (message?.role !== "user") continue;
    const text =
      typeof message.content === "string"
        ? message.content
        : Array.isArray(message.content)
          ? message.content
              .map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : ""))
              .join(" ")
          : "";
    if (text.trim()) return `Echo: ${text.trim()}`;
  }
  return "Hello from modelbridge/echo. Send a message and I will repeat it back.";
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
