/**
 * The slice of OpenAI's Chat Completions the translations read and write. Loose on
 * purpose: OpenAI-compatible servers add members (vLLM's `stop_reason`, `reasoning_content`).
 */
export interface ChatContentPart {
  type: string;
  text?: string;
  image_url?: { url: string; detail?: string };
  file?: { file_data?: string; file_id?: string; filename?: string };
  [k: string]: unknown;
}

export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool" | "function";
  content?: string | ChatContentPart[] | null;
  name?: string;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  reasoning_content?: string | null;
  [k: string]: unknown;
}

export interface ChatTool {
  type: "function";
  function: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean | null;
  };
}

export type ChatToolChoice =
  "auto" | "none" | "required" | { type: "function"; function: { name: string } };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  tools?: ChatTool[];
  tool_choice?: ChatToolChoice;
  [k: string]: unknown;
}

export type ChatFinishReason =
  "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: number;
    message: {
      role: "assistant";
      content: string | null;
      refusal?: string | null;
      tool_calls?: ChatToolCall[];
      reasoning_content?: string | null;
      [k: string]: unknown;
    };
    finish_reason: ChatFinishReason | string | null;
    logprobs?: null;
    [k: string]: unknown;
  }[];
  usage?: ChatUsage | null;
  [k: string]: unknown;
}

export interface ChatChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: {
    index: number;
    delta: {
      role?: "assistant";
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      refusal?: string | null;
      tool_calls?: {
        index: number;
        id?: string;
        type?: "function";
        function?: { name?: string; arguments?: string };
      }[];
    };
    finish_reason: string | null;
    logprobs?: null;
    [k: string]: unknown;
  }[];
  usage?: ChatUsage | null;
  error?: unknown;
  [k: string]: unknown;
}
