import type {
  AnthropicContentBlock,
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolResultBlock,
} from "./anthropic-types";
import type { ChatContentPart, ChatMessage, ChatRequest, ChatTool } from "./openai-chat-types";
import { untranslatable } from "./untranslatable";

/**
 * An Anthropic Messages request as a Chat Completions request for an OpenAI-compatible
 * server (vLLM, Ollama, OpenAI): what Claude Code sends, as such a server can take it.
 *
 * - `system` (string or blocks) leads; a `system` message in the middle of `messages`
 *   (Claude Code sends them) stays where it is, as a system message.
 * - tool_result blocks become `tool` messages placed before the rest of their user turn
 *   (a tool message must follow the assistant's tool_calls); images inside a tool result
 *   follow in a user message, since a tool message carries text only.
 * - thinking and redacted_thinking blocks are dropped: their signatures mean something only
 *   to Anthropic, and OpenAI-compatible servers have no field for them.
 * - cache_control is dropped: prompt caching there is automatic.
 * - Tools only Anthropic's platform can run (web search, code execution, its bash and
 *   editor tools) are left out and reported in `dropped`.
 * Anything else with no Chat equivalent is refused with a 400 naming the field.
 */
export interface TranslatedRequest<Body> {
  body: Body;
  /** What was left out, for the x-modelbridge-dropped header and the log. */
  dropped: string[];
}

/** Fields that only tune how Anthropic's platform serves a request; meaningless elsewhere. */
const PLATFORM_HINTS = new Set([
  "service_tier",
  "speed",
  "inference_geo",
  "diagnostics",
  "cache_control",
  "context_management",
]);
const TRANSLATED = new Set([
  "model",
  "max_tokens",
  "messages",
  "system",
  "stream",
  "stop_sequences",
  "temperature",
  "top_p",
  "top_k",
  "metadata",
  "tools",
  "tool_choice",
  "thinking",
  "output_config",
]);

export function messagesRequestToChat(
  request: AnthropicMessagesRequest,
): TranslatedRequest<ChatRequest> {
  const dropped: string[] = [];
  for (const field of Object.keys(request)) {
    if (TRANSLATED.has(field) || request[field] === undefined || request[field] === null) continue;
    if (PLATFORM_HINTS.has(field)) continue;
    throw untranslatable(field, "OpenAI-compatible servers have no equivalent");
  }

  const messages: ChatMessage[] = [];
  const system = systemText(request.system, "system");
  if (system) messages.push({ role: "system", content: system });
  request.messages.forEach((message, i) =>
    messages.push(...chatMessagesOf(message.role, message.content, `messages.${i}.content`)),
  );

  const body: ChatRequest = { model: request.model, messages, max_tokens: request.max_tokens };
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  if (request.stop_sequences?.length) body.stop = request.stop_sequences;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.top_p !== undefined) body.top_p = request.top_p;
  // vLLM, TGI and Ollama read top_k; servers that do not know it ignore or refuse it themselves.
  if (request.top_k !== undefined) body.top_k = request.top_k;
  if (request.metadata?.user_id) body.user = request.metadata.user_id;

  const tools = translateTools(request.tools, dropped);
  if (tools.length) body.tools = tools;
  if (request.tool_choice) Object.assign(body, toolChoiceOf(request.tool_choice, tools));

  const effort = reasoningEffortOf(request);
  if (effort) body.reasoning_effort = effort;
  const format = (
    request.output_config as { format?: { type?: string; schema?: unknown } } | undefined
  )?.format;
  if (format?.type === "json_schema") {
    body.response_format = {
      type: "json_schema",
      json_schema: { name: "output", schema: format.schema, strict: true },
    };
  }
  return { body, dropped };
}

function systemText(system: AnthropicMessagesRequest["system"], field: string): string {
  if (system === undefined || system === null) return "";
  if (typeof system === "string") return system;
  return system
    .map((block, i) => {
      if (block.type !== "text")
        throw untranslatable(
          `${field}.${i}.type`,
          `a system block of type '${block.type}' has no Chat equivalent`,
        );
      return block.text;
    })
    .join("\n\n");
}

function chatMessagesOf(
  role: string,
  content: string | AnthropicContentBlock[],
  field: string,
): ChatMessage[] {
  if (role === "system") {
    return [
      {
        role: "system",
        content:
          typeof content === "string"
            ? content
            : systemText(content as AnthropicTextBlock[], field),
      },
    ];
  }
  if (typeof content === "string") return [{ role: role as "user" | "assistant", content }];
  return role === "assistant"
    ? [assistantMessageOf(content, field)]
    : userMessagesOf(content, field);
}

function assistantMessageOf(blocks: AnthropicContentBlock[], field: string): ChatMessage {
  const text: string[] = [];
  const toolCalls: NonNullable<ChatMessage["tool_calls"]> = [];
  blocks.forEach((block, i) => {
    switch (block.type) {
      case "text":
        text.push((block as AnthropicTextBlock).text);
        return;
      case "tool_use": {
        const use = block as { id: string; name: string; input: unknown };
        toolCalls.push({
          id: use.id,
          type: "function",
          function: { name: use.name, arguments: JSON.stringify(use.input ?? {}) },
        });
        return;
      }
      case "thinking":
      case "redacted_thinking":
        return;
      default:
        throw untranslatable(
          `${field}.${i}.type`,
          `an assistant block of type '${block.type}' has no Chat equivalent`,
        );
    }
  });
  const message: ChatMessage = { role: "assistant", content: text.length ? text.join("") : null };
  if (toolCalls.length) message.tool_calls = toolCalls;
  return message;
}

function userMessagesOf(blocks: AnthropicContentBlock[], field: string): ChatMessage[] {
  const toolMessages: ChatMessage[] = [];
  const afterTools: ChatContentPart[] = [];
  const parts: ChatContentPart[] = [];
  blocks.forEach((block, i) => {
    const at = `${field}.${i}`;
    if (block.type === "tool_result") {
      const result = block as AnthropicToolResultBlock;
      const content =
        typeof result.content === "string"
          ? [{ type: "text", text: result.content } as ChatContentPart]
          : (result.content ?? []).map((part, j) =>
              partOf(part as AnthropicContentBlock, `${at}.content.${j}`),
            );
      const text = content
        .filter((part) => part.type === "text")
        .map((part) => part.text ?? "")
        .join("\n");
      toolMessages.push({
        role: "tool",
        tool_call_id: result.tool_use_id,
        content: result.is_error ? `Error: ${text}` : text,
      });
      const media = content.filter((part) => part.type !== "text");
      if (media.length)
        afterTools.push(
          { type: "text", text: `(attachments of tool result ${result.tool_use_id})` },
          ...media,
        );
      return;
    }
    parts.push(partOf(block, at));
  });
  const userParts = [...afterTools, ...parts];
  if (userParts.length === 0) return toolMessages;
  // Plain text as a string: some servers' chat templates take nothing else.
  const onlyText = userParts.every((part) => part.type === "text");
  return [
    ...toolMessages,
    {
      role: "user",
      content: onlyText ? userParts.map((part) => part.text).join("\n\n") : userParts,
    },
  ];
}

function partOf(block: AnthropicContentBlock, field: string): ChatContentPart {
  switch (block.type) {
    case "text":
      return { type: "text", text: (block as AnthropicTextBlock).text };
    case "image": {
      const source = (
        block as { source: { type: string; media_type?: string; data?: string; url?: string } }
      ).source;
      if (source.type === "base64")
        return {
          type: "image_url",
          image_url: { url: `data:${source.media_type};base64,${source.data}` },
        };
      if (source.type === "url")
        return { type: "image_url", image_url: { url: String(source.url) } };
      throw untranslatable(
        `${field}.source.type`,
        `an image source of type '${source.type}' lives on Anthropic's platform`,
      );
    }
    case "document": {
      const document = block as {
        source: { type: string; media_type?: string; data?: string };
        title?: string | null;
      };
      if (document.source.type === "text")
        return { type: "text", text: String(document.source.data ?? "") };
      if (document.source.type === "base64" && document.source.media_type === "application/pdf") {
        return {
          type: "file",
          file: {
            filename: document.title || "document.pdf",
            file_data: `data:application/pdf;base64,${document.source.data}`,
          },
        };
      }
      throw untranslatable(
        `${field}.source.type`,
        `a document source of type '${document.source.type}' has no Chat equivalent`,
      );
    }
    default:
      throw untranslatable(
        `${field}.type`,
        `a content block of type '${block.type}' has no Chat equivalent`,
      );
  }
}

function translateTools(tools: AnthropicTool[] | undefined, dropped: string[]): ChatTool[] {
  const out: ChatTool[] = [];
  for (const tool of tools ?? []) {
    // A client tool has no type (or "custom"); every other type names a tool Anthropic runs.
    if (tool.type !== undefined && tool.type !== null && tool.type !== "custom") {
      dropped.push(`tools.${tool.name ?? tool.type}`);
      continue;
    }
    const fn: ChatTool["function"] = {
      name: tool.name,
      parameters: tool.input_schema ?? { type: "object", properties: {} },
    };
    if (tool.description) fn.description = tool.description;
    out.push({ type: "function", function: fn });
  }
  return out;
}

function toolChoiceOf(
  choice: NonNullable<AnthropicMessagesRequest["tool_choice"]>,
  tools: ChatTool[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ("disable_parallel_tool_use" in choice && choice.disable_parallel_tool_use)
    out.parallel_tool_calls = false;
  switch (choice.type) {
    case "auto":
      out.tool_choice = "auto";
      break;
    case "any":
      out.tool_choice = "required";
      break;
    case "none":
      out.tool_choice = "none";
      break;
    case "tool":
      if (!tools.some((tool) => tool.function.name === choice.name)) {
        throw untranslatable(
          "tool_choice.name",
          `the tool '${choice.name}' is not among the tools this model's server can run`,
        );
      }
      out.tool_choice = { type: "function", function: { name: choice.name } };
      break;
  }
  return out;
}

/** Anthropic's thinking budget (or effort) as OpenAI's reasoning_effort. */
function reasoningEffortOf(request: AnthropicMessagesRequest): string | null {
  const effort = (request.output_config as { effort?: string | null } | undefined)?.effort;
  if (effort) return effort === "xhigh" || effort === "max" ? "high" : effort;
  const thinking = request.thinking as { type?: string; budget_tokens?: number } | undefined;
  if (!thinking || thinking.type === "disabled") return null;
  if (thinking.type === "enabled") {
    const budget = thinking.budget_tokens ?? 0;
    return budget <= 2048 ? "low" : budget <= 8192 ? "medium" : "high";
  }
  return "medium";
}
