import { gatewayErrors } from "../gateway-error";
import { flatName, type ToolNames } from "./tool-names";

/**
 * A Responses API request as a chat completions request, for upstreams that speak only
 * chat (vLLM without its Responses server, TGI, Ollama, NIM…). Pure: no I/O.
 *
 * - `instructions` and system/developer messages become system messages (OpenAI-compatible
 *   servers' chat templates know `system`; not all know `developer`).
 * - Items become messages: a `function_call` joins the assistant message before it as a
 *   tool call, a `function_call_output` becomes a tool message. Reasoning items are the
 *   model's own context, which a chat upstream cannot take back: left out.
 * - Function tools map one to one; namespaces are flattened to `namespace__name`; custom
 *   (free-form) tools become functions of one string `input`. Tools only OpenAI's platform
 *   runs (web search, file search, code interpreter…) are left out and reported in
 *   `dropped`, so that Codex, which always offers web search, still works.
 * - What needs state kept on a server (`previous_response_id`, `store: true`,
 *   `conversation`, `background`, stored prompts, item references) is refused with a 400
 *   that says why: this gateway keeps no responses.
 * - Fields the Responses API does not define (vLLM's `top_k`, `chat_template_kwargs`…)
 *   pass through, as they do on chat.
 */
export interface ChatTranslation {
  chat: Record<string, unknown> & { messages: ChatMessage[] };
  /** Tools and options left out, for `x-modelbridge-dropped` and the log. */
  dropped: string[];
  toolNames: ToolNames;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | ChatContentPart[] | null;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

type ChatContentPart = Record<string, unknown> & { type: string };
type Json = Record<string, unknown>;

/** Fields of CreateResponse this translation reads, maps or deliberately leaves out. */
const RESPONSES_FIELDS = new Set([
  "model",
  "input",
  "instructions",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "text",
  "reasoning",
  "max_output_tokens",
  "temperature",
  "top_p",
  "top_logprobs",
  "metadata",
  "stream",
  "stream_options",
  "store",
  "previous_response_id",
  "conversation",
  "background",
  "prompt",
  "include",
  "truncation",
  "service_tier",
  "user",
  "safety_identifier",
  "prompt_cache_key",
  "prompt_cache_retention",
  "max_tool_calls",
  "client_metadata",
  "context_management",
]);

/** Tools that run on OpenAI's platform, or that only OpenAI's models emit natively. */
const HOSTED_TOOLS = new Set([
  "web_search",
  "web_search_preview",
  "web_search_2025_08_26",
  "web_search_preview_2025_03_11",
  "file_search",
  "code_interpreter",
  "image_generation",
  "computer_use_preview",
  "computer",
  "mcp",
  "local_shell",
  "shell",
  "apply_patch",
  "tool_search",
  "programmatic_tool_calling",
]);

const refuse = (message: string, param: string) => gatewayErrors.invalidRequest(message, param);

export function responsesToChat(body: Json): ChatTranslation {
  refuseServerState(body);
  const dropped: string[] = [];
  const toolNames: ToolNames = new Map();

  const messages: ChatMessage[] = [];
  if (typeof body.instructions === "string" && body.instructions.length > 0) {
    messages.push({ role: "system", content: body.instructions });
  }
  const input = body.input;
  if (typeof input === "string") messages.push({ role: "user", content: input });
  else if (Array.isArray(input))
    input.forEach((item, index) => addItem(messages, item, `input[${index}]`));
  else if (input !== undefined && input !== null)
    throw refuse("'input' must be a string or an array of items.", "input");
  if (messages.length === 0)
    throw refuse("The request has no input: send 'input' (a string or items).", "input");

  const chat: ChatTranslation["chat"] = { model: body.model, messages };
  for (const [name, value] of Object.entries(body)) {
    if (!RESPONSES_FIELDS.has(name) && value !== undefined) chat[name] = value;
  }

  const tools = translateTools(body.tools, toolNames, dropped);
  if (tools.length > 0) {
    chat.tools = tools;
    const choice = translateToolChoice(body.tool_choice, toolNames, dropped);
    if (choice !== undefined) chat.tool_choice = choice;
    if (typeof body.parallel_tool_calls === "boolean")
      chat.parallel_tool_calls = body.parallel_tool_calls;
  } else if (body.tool_choice === "none" || body.tool_choice === "auto") {
    // Without tools a tool choice means nothing, and some servers refuse one.
  } else if (body.tool_choice !== undefined && body.tool_choice !== null) {
    dropped.push("tool_choice");
  }

  const format = responseFormat(body.text);
  if (format) chat.response_format = format;
  const effort = (body.reasoning as { effort?: unknown } | null | undefined)?.effort;
  if (typeof effort === "string") chat.reasoning_effort = effort;
  for (const name of ["temperature", "top_p", "user"] as const) {
    if (body[name] !== undefined && body[name] !== null) chat[name] = body[name];
  }
  if (typeof body.top_logprobs === "number" && body.top_logprobs > 0) {
    chat.logprobs = true;
    chat.top_logprobs = body.top_logprobs;
  }
  return { chat, dropped, toolNames };
}

function refuseServerState(body: Json): void {
  if (typeof body.previous_response_id === "string") {
    throw refuse(
      "'previous_response_id' needs responses stored on the server; this model is served through chat completions and nothing is stored. Send the whole conversation in 'input' instead.",
      "previous_response_id",
    );
  }
  if (body.store === true) {
    throw refuse(
      "'store: true' is not available for this model: it is served through chat completions and no response is stored. Send 'store: false' and pass the conversation in 'input'.",
      "store",
    );
  }
  if (body.conversation !== undefined && body.conversation !== null) {
    throw refuse(
      "'conversation' needs conversations stored on the server, which this model does not have. Send the items in 'input' instead.",
      "conversation",
    );
  }
  if (body.background === true) {
    throw refuse(
      "'background' needs responses stored on the server to poll, which this model does not have. Send the request without it.",
      "background",
    );
  }
  if (body.prompt !== undefined && body.prompt !== null) {
    throw refuse(
      "'prompt' refers to a prompt stored on OpenAI's platform, which this model cannot read. Send 'instructions' and 'input' instead.",
      "prompt",
    );
  }
}

function addItem(messages: ChatMessage[], raw: unknown, path: string): void {
  if (!raw || typeof raw !== "object") throw refuse("Each input item must be an object.", path);
  const item = raw as Json;
  const type = item.type ?? (item.role !== undefined ? "message" : undefined);
  switch (type) {
    case "message":
      messages.push(messageFrom(item, path));
      return;
    case "function_call":
    case "custom_tool_call": {
      const callId = String(item.call_id ?? item.id ?? "");
      if (!callId) throw refuse("A tool call item needs its 'call_id'.", `${path}.call_id`);
      const name = flatName(item.namespace as string | undefined, String(item.name ?? ""));
      const args =
        type === "function_call"
          ? String(item.arguments ?? "")
          : JSON.stringify({ input: String(item.input ?? "") });
      const call = { id: callId, type: "function" as const, function: { name, arguments: args } };
      // Parallel calls are one assistant message with several tool calls.
      const last = messages.at(-1);
      if (last?.role === "assistant") (last.tool_calls ??= []).push(call);
      else messages.push({ role: "assistant", content: null, tool_calls: [call] });
      return;
    }
    case "function_call_output":
    case "custom_tool_call_output": {
      const callId = item.call_id;
      if (typeof callId !== "string" || !callId)
        throw refuse("A tool output item needs the 'call_id' of its call.", `${path}.call_id`);
      messages.push({
        role: "tool",
        tool_call_id: callId,
        content: outputText(item.output, `${path}.output`),
      });
      return;
    }
    case "reasoning":
      return;
    case "item_reference":
      throw refuse(
        "This item reference is not one this gateway answered recently (nothing is stored for long, and it may have been another server). Send the item itself (in the Vercel AI SDK: providerOptions.openai.store = false).",
        `${path}.type`,
      );
    default:
      throw refuse(
        `Input items of type '${String(type)}' cannot be sent to this model (it is served through chat completions).`,
        `${path}.type`,
      );
  }
}

function messageFrom(item: Json, path: string): ChatMessage {
  const role = item.role;
  if (role !== "user" && role !== "assistant" && role !== "system" && role !== "developer") {
    throw refuse("A message's role must be user, assistant, system or developer.", `${path}.role`);
  }
  const chatRole = role === "developer" ? "system" : role;
  const content = item.content;
  if (typeof content === "string") return { role: chatRole, content };
  if (!Array.isArray(content))
    throw refuse("A message's content must be a string or an array of parts.", `${path}.content`);
  const parts = content.map((part, index) => contentPart(part, `${path}.content[${index}]`));
  // Assistant and system turns are text on every chat server; only user turns take parts.
  if (chatRole !== "user" || parts.every((part) => part.type === "text")) {
    return {
      role: chatRole,
      content: parts.map((part) => (part.type === "text" ? String(part.text) : "")).join(""),
    };
  }
  return { role: chatRole, content: parts };
}

function contentPart(raw: unknown, path: string): ChatContentPart {
  const part = (raw ?? {}) as Json;
  switch (part.type) {
    case "input_text":
    case "output_text":
    case "text":
      return { type: "text", text: String(part.text ?? "") };
    case "refusal":
      return { type: "text", text: String(part.refusal ?? "") };
    case "input_image": {
      if (typeof part.image_url !== "string") {
        throw refuse(
          "Images must be sent as 'image_url' (a URL or data URL); file ids live on OpenAI's platform.",
          `${path}.image_url`,
        );
      }
      const detail = typeof part.detail === "string" ? { detail: part.detail } : {};
      return { type: "image_url", image_url: { url: part.image_url, ...detail } };
    }
    case "input_file": {
      if (typeof part.file_data !== "string") {
        throw refuse(
          "Files must be sent inline as 'file_data'; file ids and URLs live on OpenAI's platform.",
          `${path}.file_data`,
        );
      }
      return {
        type: "file",
        file: {
          file_data: part.file_data,
          ...(typeof part.filename === "string" ? { filename: part.filename } : {}),
        },
      };
    }
    case "input_audio":
      return { type: "input_audio", input_audio: part.input_audio };
    default:
      throw refuse(
        `Content parts of type '${String(part.type)}' cannot be sent to this model.`,
        `${path}.type`,
      );
  }
}

function outputText(output: unknown, path: string): string {
  if (typeof output === "string") return output;
  if (Array.isArray(output)) {
    return output
      .map((part) =>
        part && typeof (part as Json).text === "string" ? String((part as Json).text) : "",
      )
      .join("");
  }
  throw refuse("A tool output must be a string or an array of parts.", path);
}

function translateTools(raw: unknown, names: ToolNames, dropped: string[]): Json[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw refuse("'tools' must be an array.", "tools");
  const tools: Json[] = [];
  raw.forEach((tool, index) => {
    const t = (tool ?? {}) as Json;
    if (t.type === "namespace") {
      const inner = Array.isArray(t.tools) ? t.tools : [];
      inner.forEach((member, memberIndex) => {
        const translated = functionTool(
          member as Json,
          String(t.name ?? ""),
          names,
          `tools[${index}].tools[${memberIndex}]`,
        );
        if (translated) tools.push(translated);
        else dropped.push(`${String(t.name)}.${String((member as Json)?.type)}`);
      });
      return;
    }
    const translated = functionTool(t, null, names, `tools[${index}]`);
    if (translated) tools.push(translated);
    else if (typeof t.type === "string" && HOSTED_TOOLS.has(t.type)) dropped.push(t.type);
    else
      throw refuse(
        `Tools of type '${String(t.type)}' cannot be sent to this model.`,
        `tools[${index}].type`,
      );
  });
  return tools;
}

function functionTool(
  tool: Json,
  namespace: string | null,
  names: ToolNames,
  path: string,
): Json | null {
  if (tool.type !== "function" && tool.type !== "custom") return null;
  if (typeof tool.name !== "string" || !tool.name)
    throw refuse("A tool needs a 'name'.", `${path}.name`);
  const flat = flatName(namespace, tool.name);
  const custom = tool.type === "custom";
  names.set(flat, { name: tool.name, namespace, custom });
  const parameters = custom
    ? {
        type: "object",
        properties: {
          input: { type: "string", description: "The tool's input, as free-form text." },
        },
        required: ["input"],
      }
    : (tool.parameters ?? { type: "object", properties: {} });
  const fn: Json = { name: flat, parameters };
  if (typeof tool.description === "string") fn.description = tool.description;
  if (!custom && typeof tool.strict === "boolean") fn.strict = tool.strict;
  return { type: "function", function: fn };
}

function translateToolChoice(raw: unknown, names: ToolNames, dropped: string[]): unknown {
  if (raw === undefined || raw === null) return undefined;
  if (raw === "auto" || raw === "none" || raw === "required") return raw;
  const choice = raw as Json;
  if (choice.type === "function" || choice.type === "custom") {
    const flat =
      [...names].find(
        ([, tool]) => tool.name === choice.name && (choice.type === "custom") === tool.custom,
      )?.[0] ?? String(choice.name);
    return { type: "function", function: { name: flat } };
  }
  if (choice.type === "allowed_tools") return choice.mode === "required" ? "required" : "auto";
  // A forced hosted tool was left out with its tool: let the model choose among the rest.
  dropped.push(`tool_choice.${String(choice.type)}`);
  return "auto";
}

function responseFormat(text: unknown): Json | null {
  const format = (text as { format?: Json } | null | undefined)?.format;
  if (!format || format.type === "text") return null;
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema") {
    const { type: _type, ...schema } = format;
    return { type: "json_schema", json_schema: schema };
  }
  throw refuse(`'text.format.type' must be text, json_object or json_schema.`, "text.format.type");
}
