/**
 * OpenTelemetry's GenAI semantic conventions, as the strings themselves: they live in
 * @opentelemetry/semantic-conventions' `incubating` entry, which the package asks
 * instrumentations to copy rather than import (it may change between minor versions, and
 * it is a large module). tests/telemetry/otel-spans.test.ts checks each name against it.
 */
export const GEN_AI = {
  operation: "gen_ai.operation.name",
  provider: "gen_ai.provider.name",
  /** Superseded by gen_ai.provider.name; still what Langfuse and older backends read. */
  system: "gen_ai.system",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  stream: "gen_ai.request.stream",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  cacheReadTokens: "gen_ai.usage.cache_read.input_tokens",
  cacheWriteTokens: "gen_ai.usage.cache_creation.input_tokens",
  timeToFirstChunk: "gen_ai.response.time_to_first_chunk",
  finishReasons: "gen_ai.response.finish_reasons",
  /** Content: set only when payload capture covers the request (PRODUCT.md). */
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
  systemInstructions: "gen_ai.system_instructions",
} as const;

/** gen_ai.operation.name per /v1 endpoint; endpoints that call no model have none. */
const OPERATIONS: Record<string, string> = {
  "chat.completions": "chat",
  responses: "chat",
  messages: "chat",
  completions: "text_completion",
  embeddings: "embeddings",
  "messages.count_tokens": "count_tokens",
  "gemini.generateContent": "generate_content",
  "gemini.streamGenerateContent": "generate_content",
  "gemini.embedContent": "embeddings",
  "gemini.batchEmbedContents": "embeddings",
  "gemini.countTokens": "count_tokens",
};

export const operationOf = (endpoint: string): string | undefined => OPERATIONS[endpoint];
