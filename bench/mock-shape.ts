/**
 * What the mock upstream answers, shared with the checkers so that a response is compared
 * byte for byte (JSON) or event for event (SSE) against what was sent.
 */
export const MOCK_SHAPE = {
  id: "chatcmpl-bench",
  model: "bench-upstream",
  created: 1_700_000_000,
  /** Content chunks per stream (the independent benchmark's 20); a finish chunk follows, then usage, then [DONE]. */
  chunks: Number(process.env.BENCH_STREAM_CHUNKS ?? 20),
  promptTokens: 12,
  completionTokens: 10,
} as const;

export const chunkText = (index: number) => `tok${index} `;

export function mockJsonBody(): string {
  return JSON.stringify({
    id: MOCK_SHAPE.id,
    object: "chat.completion",
    created: MOCK_SHAPE.created,
    model: MOCK_SHAPE.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "Hello from the bench upstream." },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: MOCK_SHAPE.promptTokens,
      completion_tokens: MOCK_SHAPE.completionTokens,
      total_tokens: MOCK_SHAPE.promptTokens + MOCK_SHAPE.completionTokens,
    },
  });
}

const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  frame({
    id: MOCK_SHAPE.id,
    object: "chat.completion.chunk",
    created: MOCK_SHAPE.created,
    model: MOCK_SHAPE.model,
    choices,
    ...extra,
  });

/** Every SSE frame but [DONE]: `content` ends with the finish chunk; `usage` is sent on request. */
export function mockStreamChunks(): { content: string[]; usage: string } {
  const content: string[] = [];
  for (let i = 0; i < MOCK_SHAPE.chunks; i++) {
    content.push(
      chunk([
        {
          index: 0,
          delta: i === 0 ? { role: "assistant", content: chunkText(i) } : { content: chunkText(i) },
          finish_reason: null,
          logprobs: null,
        },
      ]),
    );
  }
  content.push(chunk([{ index: 0, delta: {}, finish_reason: "stop", logprobs: null }]));
  const usage = chunk([], {
    usage: {
      prompt_tokens: MOCK_SHAPE.promptTokens,
      completion_tokens: MOCK_SHAPE.completionTokens,
      total_tokens: MOCK_SHAPE.promptTokens + MOCK_SHAPE.completionTokens,
    },
  });
  return { content, usage };
}

/** The text a client should reassemble from a complete stream. */
export const expectedStreamText = () =>
  Array.from({ length: MOCK_SHAPE.chunks }, (_, i) => chunkText(i)).join("");

/** What a relayed stream must contain, in order (bench/wrk-check.lua's stream mode), one per line. */
export function streamExpectLines(): string {
  const lines = Array.from({ length: MOCK_SHAPE.chunks }, (_, i) => `"content":"${chunkText(i)}"`);
  lines.push(
    '"finish_reason":"stop"',
    `"usage":{"prompt_tokens":${MOCK_SHAPE.promptTokens},"completion_tokens":${MOCK_SHAPE.completionTokens}`,
  );
  return lines.join("\n");
}
