import { randomBytes } from "node:crypto";

/**
 * The parts of a Response object (OpenAI's `Response` schema) that echo the request, and
 * the ids and usage shape shared by the non-stream and stream translations.
 */
type Json = Record<string, unknown>;

export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export interface ResponseBase {
  id: string;
  createdAt: number;
  /** The public model name the client asked for. */
  model: string;
  request: Json;
}

export const newId = (prefix: "resp" | "msg" | "fc" | "rs" | "ctc") =>
  `${prefix}_${randomBytes(12).toString("hex")}`;

export function responseBase(
  request: Json,
  model: string,
  createdAt = Math.floor(Date.now() / 1000),
): ResponseBase {
  return { id: newId("resp"), createdAt, model, request };
}

/** A complete Response object in the given state. */
export function responseObject(
  base: ResponseBase,
  state: {
    status: ResponseStatus;
    output: Json[];
    usage: ResponsesUsage | null;
    incompleteReason?: string | null;
    error?: { code: string; message: string } | null;
  },
): Json {
  const r = base.request;
  const text = (r.text as Json | undefined) ?? {};
  return {
    id: base.id,
    object: "response",
    created_at: base.createdAt,
    status: state.status,
    completed_at: state.status === "completed" ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: state.incompleteReason ? { reason: state.incompleteReason } : null,
    instructions: typeof r.instructions === "string" ? r.instructions : null,
    max_output_tokens: typeof r.max_output_tokens === "number" ? r.max_output_tokens : null,
    model: base.model,
    output: state.output,
    parallel_tool_calls: r.parallel_tool_calls !== false,
    previous_response_id: null,
    reasoning: {
      effort: (r.reasoning as Json | undefined)?.effort ?? null,
      summary: (r.reasoning as Json | undefined)?.summary ?? null,
    },
    store: false,
    temperature: typeof r.temperature === "number" ? r.temperature : 1,
    text: { format: (text.format as Json | undefined) ?? { type: "text" } },
    tool_choice: r.tool_choice ?? "auto",
    tools: Array.isArray(r.tools) ? r.tools : [],
    top_p: typeof r.top_p === "number" ? r.top_p : 1,
    truncation: "disabled",
    // The schema has no null for these: absent until known.
    ...(state.usage ? { usage: state.usage } : {}),
    ...(typeof r.user === "string" ? { user: r.user } : {}),
    metadata: (r.metadata as Json | undefined) ?? {},
  };
}

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** Chat's usage (prompt/completion, with OpenAI's details when the server gives them) in Responses' terms. */
export function responsesUsage(chat: unknown): ResponsesUsage | null {
  if (!chat || typeof chat !== "object") return null;
  const u = chat as {
    prompt_tokens?: unknown;
    completion_tokens?: unknown;
    prompt_tokens_details?: Json | null;
    completion_tokens_details?: Json | null;
  };
  const input = Number(u.prompt_tokens ?? 0) || 0;
  const output = Number(u.completion_tokens ?? 0) || 0;
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: Number(u.prompt_tokens_details?.cached_tokens ?? 0) || 0,
      cache_write_tokens: 0,
    },
    output_tokens: output,
    output_tokens_details: {
      reasoning_tokens: Number(u.completion_tokens_details?.reasoning_tokens ?? 0) || 0,
    },
    total_tokens: input + output,
  };
}

/** Why a chat answer stopped, as a Responses status. */
export function statusFor(finishReason: string | null | undefined): {
  status: ResponseStatus;
  incompleteReason: string | null;
} {
  if (finishReason === "length")
    return { status: "incomplete", incompleteReason: "max_output_tokens" };
  if (finishReason === "content_filter")
    return { status: "incomplete", incompleteReason: "content_filter" };
  return { status: "completed", incompleteReason: null };
}
