import type {
  ChatContentPart,
  ChatMessage,
  ChatRequest,
  ChatTool,
  ChatToolCall,
  ChatToolChoice,
} from "../openai-chat-types";
import type { TranslatedRequest } from "../messages-request-to-chat";
import { untranslatable } from "../untranslatable";
import { jsonSchemaOf } from "./gemini-schema";
import type { GeminiContent, GeminiPart, GeminiRequest, GeminiTool } from "./gemini-types";

/**
 * A Gemini generateContent request as a Chat Completions request, for any model that is not
 * a Gemini one (OpenAI-compatible servers directly; Anthropic's through the chat ⇄ Messages
 * translation):
 *
 * | Gemini | chat |
 * |---|---|
 * | `systemInstruction` | a leading system message |
 * | `contents[].role` user / model | user / assistant messages |
 * | text part (`thought: true` in a model turn) | text (`reasoning_content`) |
 * | `inlineData` image/* | `image_url` data URL; other types: a `file` part |
 * | `fileData` with an http(s) image URL | `image_url` by URL (other file URIs: refused) |
 * | `functionCall` | assistant `tool_calls` (the call's id, or one made here) |
 * | `functionResponse` | a `tool` message answering the call of that id (or name) |
 * | `tools[].functionDeclarations` | function tools (`parameters` Schema → JSON Schema) |
 * | `toolConfig` AUTO / ANY / NONE, allowed names | `tool_choice` auto / required or the one function / none |
 * | `generationConfig` temperature, topP, topK, maxOutputTokens, stopSequences, candidateCount, seed, penalties | temperature, top_p, top_k, max_tokens, stop, n, seed, penalties |
 * | `responseMimeType: application/json` (+ `responseJsonSchema` / `responseSchema`) | `response_format` json_object / json_schema |
 * | `thinkingConfig` budget or level | `reasoning_effort` (a budget of 0: none asked) |
 *
 * Dropped and reported: `safetySettings`, `labels`, thought signatures, Google-hosted tools
 * (googleSearch, codeExecution, urlContext…). Refused with a 400 naming the field:
 * `cachedContent`, file URIs the upstream cannot fetch, audio/image output, and any
 * generationConfig member with no chat equivalent.
 */
const GENERATION_KEYS: Record<string, string | null> = {
  temperature: "temperature",
  topP: "top_p",
  topK: "top_k",
  maxOutputTokens: "max_tokens",
  stopSequences: "stop",
  candidateCount: "n",
  seed: "seed",
  presencePenalty: "presence_penalty",
  frequencyPenalty: "frequency_penalty",
  // Handled below, not copied.
  responseMimeType: null,
  responseSchema: null,
  responseJsonSchema: null,
  thinkingConfig: null,
  responseModalities: null,
};

const REQUEST_KEYS = new Set([
  "contents",
  "systemInstruction",
  "tools",
  "toolConfig",
  "generationConfig",
  "safetySettings",
  "labels",
  "model",
]);

export function geminiRequestToChat(
  request: GeminiRequest,
  model: string,
): TranslatedRequest<ChatRequest> {
  const dropped: string[] = [];
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || value === null || REQUEST_KEYS.has(field)) continue;
    throw untranslatable(field, "the model's provider has no equivalent");
  }
  if (request.safetySettings?.length) dropped.push("safetySettings");
  if (request.labels) dropped.push("labels");

  const messages: ChatMessage[] = [];
  const system = systemText(request.systemInstruction);
  if (system) messages.push({ role: "system", content: system });
  const calls = new CallIds();
  request.contents.forEach((content, i) =>
    messages.push(...messagesOf(content, `contents[${i}]`, calls, dropped)),
  );

  const body: ChatRequest = { model, messages };
  const tools = chatTools(request.tools, dropped);
  if (tools.length) {
    body.tools = tools;
    const choice = toolChoice(request, tools);
    if (choice) body.tool_choice = choice;
  }
  applyGenerationConfig(body, request.generationConfig ?? {});
  return { body, dropped: [...new Set(dropped)] };
}

function systemText(system: GeminiRequest["systemInstruction"]): string {
  if (!system) return "";
  if (typeof system === "string") return system;
  return (system.parts ?? [])
    .map((part) => part.text ?? "")
    .filter(Boolean)
    .join("\n");
}

/** Gemini calls carry an id only sometimes: ids are made here and matched back by name. */
class CallIds {
  private count = 0;
  private readonly open: { id: string; name: string }[] = [];

  issue(id: string | undefined, name: string): string {
    const made = id || `call_${++this.count}`;
    this.open.push({ id: made, name });
    return made;
  }

  answer(id: string | undefined, name: string): string {
    const at = this.open.findIndex((call) => (id ? call.id === id : call.name === name));
    if (at === -1) return id || `call_${name}`;
    return this.open.splice(at, 1)[0].id;
  }
}

function messagesOf(
  content: GeminiContent,
  at: string,
  calls: CallIds,
  dropped: string[],
): ChatMessage[] {
  const parts = content.parts ?? [];
  if (content.role === "model") return [assistantOf(parts, at, calls, dropped)];
  // A user (or `function`) turn: function responses first, as tool messages must follow the
  // assistant message that called them; the rest of the turn after them.
  const out: ChatMessage[] = [];
  const rest: ChatContentPart[] = [];
  parts.forEach((part, j) => {
    const where = `${at}.parts[${j}]`;
    if (part.functionResponse) {
      const answer = part.functionResponse;
      out.push({
        role: "tool",
        tool_call_id: calls.answer(answer.id, answer.name ?? ""),
        content: JSON.stringify(answer.response ?? {}),
      });
    } else {
      const chatPart = userPartOf(part, where, dropped);
      if (chatPart) rest.push(chatPart);
    }
  });
  if (rest.length)
    out.push({
      role: "user",
      content: rest.every((part) => part.type === "text")
        ? rest.map((part) => part.text).join("\n")
        : rest,
    });
  return out;
}

function assistantOf(
  parts: GeminiPart[],
  at: string,
  calls: CallIds,
  dropped: string[],
): ChatMessage {
  let text = "";
  let reasoning = "";
  const toolCalls: ChatToolCall[] = [];
  parts.forEach((part, j) => {
    if (part.thoughtSignature) dropped.push("thoughtSignature");
    if (part.functionCall) {
      const name = part.functionCall.name ?? "";
      toolCalls.push({
        id: calls.issue(part.functionCall.id, name),
        type: "function",
        function: { name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      });
    } else if (typeof part.text === "string") {
      if (part.thought) reasoning += part.text;
      else text += part.text;
    } else if (part.executableCode || part.codeExecutionResult) {
      dropped.push("codeExecution");
    } else if (part.inlineData || part.fileData) {
      throw untranslatable(`${at}.parts[${j}]`, "a model turn can carry only text and calls");
    }
  });
  const message: ChatMessage = { role: "assistant", content: text || null };
  if (toolCalls.length) message.tool_calls = toolCalls;
  if (reasoning) message.reasoning_content = reasoning;
  return message;
}

function userPartOf(part: GeminiPart, at: string, dropped: string[]): ChatContentPart | null {
  if (typeof part.text === "string") return part.thought ? null : { type: "text", text: part.text };
  if (part.inlineData) {
    const mime = part.inlineData.mimeType ?? "application/octet-stream";
    const url = `data:${mime};base64,${part.inlineData.data ?? ""}`;
    if (mime.startsWith("image/")) return { type: "image_url", image_url: { url } };
    return {
      type: "file",
      file: { file_data: url, filename: part.inlineData.displayName ?? "file" },
    };
  }
  if (part.fileData) {
    const uri = part.fileData.fileUri ?? "";
    const mime = part.fileData.mimeType ?? "";
    if (/^https?:\/\//.test(uri) && (mime.startsWith("image/") || mime === ""))
      return { type: "image_url", image_url: { url: uri } };
    throw untranslatable(
      `${at}.fileData`,
      "the model's provider cannot fetch this file URI; send the file as inlineData",
    );
  }
  if (part.executableCode || part.codeExecutionResult) {
    dropped.push("codeExecution");
    return null;
  }
  if (part.functionCall)
    throw untranslatable(`${at}.functionCall`, "only a model turn may call a function");
  return null;
}

/** Declared functions; Google-hosted tools (search, code execution, URL context…) are dropped. */
function chatTools(tools: GeminiTool[] | undefined, dropped: string[]): ChatTool[] {
  const out: ChatTool[] = [];
  for (const tool of tools ?? []) {
    for (const [kind, value] of Object.entries(tool)) {
      if (value === undefined || value === null) continue;
      if (kind !== "functionDeclarations") {
        dropped.push(kind);
        continue;
      }
      for (const declaration of tool.functionDeclarations ?? []) {
        const parameters =
          declaration.parametersJsonSchema ??
          (declaration.parameters ? jsonSchemaOf(declaration.parameters) : undefined);
        out.push({
          type: "function",
          function: {
            name: declaration.name ?? "",
            ...(declaration.description ? { description: declaration.description } : {}),
            parameters: (parameters as Record<string, unknown>) ?? {
              type: "object",
              properties: {},
            },
          },
        });
      }
    }
  }
  return out;
}

function toolChoice(request: GeminiRequest, tools: ChatTool[]): ChatToolChoice | null {
  const config = request.toolConfig?.functionCallingConfig;
  if (!config) return null;
  const allowed = config.allowedFunctionNames ?? [];
  switch (config.mode) {
    case "NONE":
      return "none";
    case "ANY":
      if (allowed.length === 1) return { type: "function", function: { name: allowed[0] } };
      if (allowed.length > 1) {
        // Chat cannot force "one of these": offer only those, and require a call.
        const keep = new Set(allowed);
        const kept = tools.filter((tool) => keep.has(tool.function.name));
        tools.splice(0, tools.length, ...kept);
      }
      return "required";
    case "AUTO":
    case "VALIDATED":
      return "auto";
    default:
      return null;
  }
}

function applyGenerationConfig(
  body: ChatRequest,
  config: NonNullable<GeminiRequest["generationConfig"]>,
): void {
  for (const [field, value] of Object.entries(config)) {
    if (value === undefined || value === null) continue;
    if (!(field in GENERATION_KEYS))
      throw untranslatable(`generationConfig.${field}`, "the model's provider has no equivalent");
    const target = GENERATION_KEYS[field];
    if (target) body[target] = value;
  }
  const modalities = config.responseModalities ?? [];
  if (modalities.some((modality) => modality !== "TEXT"))
    throw untranslatable(
      "generationConfig.responseModalities",
      "only text answers can be translated",
    );

  const mime = config.responseMimeType;
  if (mime === "application/json") {
    const schema =
      config.responseJsonSchema ??
      (config.responseSchema ? jsonSchemaOf(config.responseSchema) : undefined);
    body.response_format = schema
      ? { type: "json_schema", json_schema: { name: "response", schema } }
      : { type: "json_object" };
  } else if (mime && mime !== "text/plain") {
    throw untranslatable(
      "generationConfig.responseMimeType",
      "only text/plain and application/json answers can be translated",
    );
  }

  const effort = reasoningEffortOf(config.thinkingConfig);
  if (effort) body.reasoning_effort = effort;
}

/** Gemini's thinking budget (or level) as OpenAI's reasoning_effort; -1 is "dynamic". */
function reasoningEffortOf(
  thinking: NonNullable<GeminiRequest["generationConfig"]>["thinkingConfig"],
): string | null {
  if (!thinking) return null;
  if (thinking.thinkingLevel && thinking.thinkingLevel !== "THINKING_LEVEL_UNSPECIFIED")
    return thinking.thinkingLevel === "MINIMAL" ? "minimal" : thinking.thinkingLevel.toLowerCase();
  const budget = thinking.thinkingBudget;
  if (budget === undefined || budget === 0) return null;
  if (budget < 0) return "medium";
  return budget <= 2048 ? "low" : budget <= 8192 ? "medium" : "high";
}
