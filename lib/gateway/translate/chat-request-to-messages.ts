import { jsonDepthExceeds } from "@/lib/http/json-depth";
import type {
  AnthropicContentBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicTool,
} from "./anthropic-types";
import { parseArguments } from "./chat-answer-to-messages";
import type { TranslatedRequest } from "./messages-request-to-chat";
import type { ChatContentPart, ChatMessage, ChatRequest } from "./openai-chat-types";
import { untranslatable } from "./untranslatable";

/**
 * A Chat Completions request as an Anthropic Messages request.
 *
 * - Leading system/developer messages become `system`; later ones stay in place as
 *   `system` messages (the Messages API takes them there).
 * - `tool` messages become tool_result blocks of a user turn; consecutive turns of one
 *   role are merged (the Messages API wants user and assistant to alternate).
 * - JSON output (`response_format`) is asked for the way Anthropic's own guide does: a
 *   tool whose input schema is the wanted schema, which the model is made to call; the
 *   answer's call to it is turned back into text (see messagesAnswerToChat).
 * - reasoning_effort becomes a thinking budget; temperature is clamped to Anthropic's 0–1.
 * Fields with no Messages equivalent (n > 1, logprobs, logit_bias, penalties, audio…) are
 * refused with a 400 naming them; ones that only tune OpenAI's platform are dropped.
 */
export interface ChatToMessagesResult extends TranslatedRequest<AnthropicMessagesRequest> {
  /** The name of the tool standing for response_format, when there is one. */
  jsonTool: string | null;
}

const OPENAI_PLATFORM_ONLY = new Set([
  "store",
  "metadata",
  "service_tier",
  "seed",
  "prompt_cache_key",
  "safety_identifier",
  "verbosity",
]);
const HANDLED = new Set([
  "model",
  "messages",
  "stream",
  "stream_options",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "top_k",
  "stop",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "reasoning_effort",
  "user",
  "n",
  "logprobs",
  "top_logprobs",
  "logit_bias",
  "presence_penalty",
  "frequency_penalty",
  "web_search_options",
]);

/** Anthropic requires a token cap; this one stands in when neither the client nor the model sets one. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

export const THINKING_BUDGETS: Record<string, number> = {
  low: 1024,
  medium: 4096,
  high: 16384,
  xhigh: 32768,
};

export function chatRequestToMessages(
  request: ChatRequest,
  defaultMaxTokens: number | null = null,
): ChatToMessagesResult {
  const dropped: string[] = [];
  refuseUntranslatable(request, dropped);

  const system: string[] = [];
  const turns: AnthropicMessageParam[] = [];
  let leading = true;
  request.messages.forEach((message, i) => {
    const field = `messages.${i}`;
    if (message.role === "system" || message.role === "developer") {
      const text = textOf(message.content, `${field}.content`);
      if (leading) system.push(text);
      else turns.push({ role: "system", content: text });
      return;
    }
    leading = false;
    if (message.role === "function")
      throw untranslatable(
        `${field}.role`,
        "legacy function messages have no Messages equivalent; use tool messages",
      );
    if (message.role === "tool") {
      const block: AnthropicContentBlock = {
        type: "tool_result",
        tool_use_id: String(message.tool_call_id ?? ""),
        content: textOf(message.content, `${field}.content`),
      };
      return append(turns, "user", [block]);
    }
    if (message.role === "assistant") {
      const blocks = assistantBlocks(message, field);
      return blocks.length ? append(turns, "assistant", blocks) : undefined;
    }
    append(turns, "user", userBlocks(message.content, `${field}.content`));
  });

  const body: AnthropicMessagesRequest = {
    model: request.model,
    max_tokens:
      request.max_completion_tokens ??
      request.max_tokens ??
      defaultMaxTokens ??
      DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages: turns,
  };
  if (system.length) body.system = system.join("\n\n");
  if (request.stream) body.stream = true;
  if (request.stop !== undefined && request.stop !== null)
    body.stop_sequences = Array.isArray(request.stop)
      ? (request.stop as string[])
      : [String(request.stop)];
  if (typeof request.temperature === "number") body.temperature = Math.min(1, request.temperature);
  if (typeof request.top_p === "number") body.top_p = request.top_p;
  if (typeof request.top_k === "number") body.top_k = request.top_k;
  if (typeof request.user === "string" && request.user) body.metadata = { user_id: request.user };

  const tools: AnthropicTool[] = (request.tools ?? []).map((tool, i) => {
    if (tool.type !== "function")
      throw untranslatable(
        `tools.${i}.type`,
        `a tool of type '${String(tool.type)}' has no Messages equivalent`,
      );
    const out: AnthropicTool = {
      name: tool.function.name,
      input_schema: tool.function.parameters ?? { type: "object", properties: {} },
    };
    if (tool.function.description) out.description = tool.function.description;
    return out;
  });
  const jsonTool = jsonToolOf(request.response_format, tools);
  if (tools.length) body.tools = tools;
  const choice = toolChoiceOf(request, jsonTool, tools);
  if (choice) body.tool_choice = choice;

  const effort = typeof request.reasoning_effort === "string" ? request.reasoning_effort : null;
  if (effort && THINKING_BUDGETS[effort]) {
    // Anthropic refuses thinking together with a forced tool (JSON output uses one).
    if (choice && (choice.type === "tool" || choice.type === "any"))
      dropped.push("reasoning_effort");
    else body.thinking = { type: "enabled", budget_tokens: THINKING_BUDGETS[effort] };
  }
  return { body: fitThinkingToCap(body), dropped, jsonTool };
}

/**
 * Sets the token cap and keeps a thinking budget below it, as Anthropic requires (1024 at
 * least); a cap too small for any thinking turns it off. Used on passthrough too: the cap
 * the gateway lowers for a budget must not make a valid request invalid.
 */
export function fitThinkingToCap<T extends { max_tokens: number; thinking?: unknown }>(
  body: T,
  capOrNull: number | null = body.max_tokens,
): T {
  const cap = capOrNull ?? body.max_tokens;
  const out = { ...body, max_tokens: cap };
  const thinking = out.thinking as { type?: string; budget_tokens?: number } | undefined;
  if (
    thinking?.type === "enabled" &&
    typeof thinking.budget_tokens === "number" &&
    thinking.budget_tokens >= cap
  ) {
    if (cap - 1 >= 1024) out.thinking = { ...thinking, budget_tokens: cap - 1 };
    else delete out.thinking;
  }
  return out;
}

function refuseUntranslatable(request: ChatRequest, dropped: string[]): void {
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    if (OPENAI_PLATFORM_ONLY.has(field)) {
      dropped.push(field);
      continue;
    }
    if (!HANDLED.has(field))
      throw untranslatable(field, "Anthropic's Messages API has no equivalent");
  }
  if (typeof request.n === "number" && request.n > 1)
    throw untranslatable("n", "Anthropic's Messages API answers with one choice");
  if (request.logprobs === true)
    throw untranslatable("logprobs", "Anthropic's Messages API does not return log probabilities");
  if (typeof request.top_logprobs === "number" && request.top_logprobs > 0)
    throw untranslatable(
      "top_logprobs",
      "Anthropic's Messages API does not return log probabilities",
    );
  if (request.logit_bias && Object.keys(request.logit_bias as object).length)
    throw untranslatable("logit_bias", "Anthropic's Messages API has no token biases");
  for (const penalty of ["presence_penalty", "frequency_penalty"]) {
    if (typeof request[penalty] === "number" && request[penalty] !== 0)
      throw untranslatable(penalty, "Anthropic's Messages API has no repetition penalties");
  }
  if (request.web_search_options) dropped.push("web_search_options");
}

function textOf(content: ChatMessage["content"], field: string): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  return content
    .map((part, j) => {
      if (part.type === "text" || part.type === "refusal")
        return String(part.text ?? part.refusal ?? "");
      throw untranslatable(`${field}.${j}.type`, `a '${part.type}' part is not allowed here`);
    })
    .join("\n");
}

function userBlocks(content: ChatMessage["content"], field: string): AnthropicContentBlock[] {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  return content.map((part, j) => blockOf(part, `${field}.${j}`));
}

function blockOf(part: ChatContentPart, field: string): AnthropicContentBlock {
  switch (part.type) {
    case "text":
      return { type: "text", text: String(part.text ?? "") };
    case "image_url": {
      const url = String(part.image_url?.url ?? "");
      const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
      if (data)
        return { type: "image", source: { type: "base64", media_type: data[1], data: data[2] } };
      return { type: "image", source: { type: "url", url } };
    }
    case "file": {
      const data = /^data:application\/pdf;base64,(.*)$/s.exec(part.file?.file_data ?? "");
      if (!data)
        throw untranslatable(
          `${field}.file`,
          "only inline PDF files (file_data) can be sent to Anthropic",
        );
      return {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: data[1] },
      };
    }
    default:
      throw untranslatable(`${field}.type`, `a '${part.type}' part has no Messages equivalent`);
  }
}

function assistantBlocks(message: ChatMessage, field: string): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  const text = textOf(message.content, `${field}.content`);
  if (text) blocks.push({ type: "text", text });
  (message.tool_calls ?? []).forEach((call, j) => {
    const input = call.function.arguments ? safeJson(call.function.arguments) : {};
    if (input === undefined)
      throw untranslatable(
        `${field}.tool_calls.${j}.function.arguments`,
        "the arguments are not a JSON object",
      );
    blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input });
  });
  return blocks;
}

function safeJson(text: string): unknown {
  // Tool arguments are a string inside the body: the body's depth check never saw them.
  if (jsonDepthExceeds(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function append(
  turns: AnthropicMessageParam[],
  role: "user" | "assistant",
  blocks: AnthropicContentBlock[],
): void {
  if (blocks.length === 0) return;
  const last = turns[turns.length - 1];
  if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

function jsonToolOf(format: unknown, tools: AnthropicTool[]): string | null {
  const spec = format as
    | {
        type?: string;
        json_schema?: { name?: string; schema?: Record<string, unknown>; description?: string };
      }
    | undefined;
  if (!spec || spec.type === "text" || spec.type === undefined) return null;
  if (spec.type !== "json_object" && spec.type !== "json_schema")
    throw untranslatable("response_format.type", `'${spec.type}' has no Messages equivalent`);
  const name = /^[a-zA-Z0-9_-]{1,64}$/.test(spec.json_schema?.name ?? "")
    ? spec.json_schema!.name!
    : "json_output";
  tools.push({
    name,
    description:
      spec.json_schema?.description ??
      "Give the answer as this tool's input: it is the JSON the user asked for.",
    input_schema: spec.json_schema?.schema ?? { type: "object", additionalProperties: true },
  });
  return name;
}

function toolChoiceOf(
  request: ChatRequest,
  jsonTool: string | null,
  tools: AnthropicTool[],
): AnthropicMessagesRequest["tool_choice"] | null {
  const noParallel =
    request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  const choice = request.tool_choice;
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...noParallel };
  if (choice && typeof choice === "object") {
    const name = choice.function?.name;
    if (!tools.some((tool) => tool.name === name))
      throw untranslatable("tool_choice.function.name", `no tool named '${String(name)}'`);
    return { type: "tool", name, ...noParallel };
  }
  // JSON output: the model must answer through the JSON tool (or one of the caller's).
  if (jsonTool)
    return tools.length > 1
      ? { type: "any", ...noParallel }
      : { type: "tool", name: jsonTool, ...noParallel };
  if (tools.length && request.parallel_tool_calls === false)
    return { type: "auto", disable_parallel_tool_use: true };
  return null;
}
