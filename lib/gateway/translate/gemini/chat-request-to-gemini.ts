import type { TranslatedRequest } from "../messages-request-to-chat";
import type { ChatContentPart, ChatMessage, ChatRequest } from "../openai-chat-types";
import { untranslatable } from "../untranslatable";
import type {
  GeminiContent,
  GeminiGenerationConfig,
  GeminiPart,
  GeminiRequest,
  GeminiToolConfig,
} from "./gemini-types";

/**
 * A Chat Completions request as a Gemini generateContent request, for a `gemini` model
 * (Responses and Messages reach it through chat too):
 *
 * | chat | Gemini |
 * |---|---|
 * | system / developer messages | `systemInstruction` (all of them, in order) |
 * | user / assistant messages | `user` / `model` contents |
 * | text, `image_url` (data URL → inlineData, http(s) → fileData), `file` data, `input_audio` | parts |
 * | assistant `tool_calls` | `functionCall` parts (with the placeholder thought signature Google documents for calls made elsewhere) |
 * | consecutive `tool` messages | one user turn of `functionResponse` parts (name looked up by the call's id) |
 * | `tools` (functions) | `functionDeclarations` with `parametersJsonSchema` |
 * | `tool_choice` auto / none / required / one function | `toolConfig` AUTO / NONE / ANY / ANY + allowedFunctionNames |
 * | temperature, top_p, top_k, max_tokens / max_completion_tokens, stop, n, seed, penalties | generationConfig |
 * | `response_format` json_object / json_schema | `responseMimeType: application/json` (+ `responseJsonSchema`) |
 * | `reasoning_effort` | `thinkingConfig` budget, thoughts included |
 * | `logprobs`, `top_logprobs` | `responseLogprobs`, `logprobs` |
 *
 * Dropped: `reasoning_content` of earlier turns (Gemini needs its own signed thoughts),
 * `user`, `metadata`, `store` and other hints that only tune OpenAI's platform. Anything
 * else is refused with a 400 naming the field.
 */
const PLATFORM_HINTS = new Set([
  "model",
  "messages",
  "stream",
  "stream_options",
  "user",
  "metadata",
  "store",
  "parallel_tool_calls",
  "service_tier",
  "safety_identifier",
  "prompt_cache_key",
  "prompt_cache_retention",
]);
const TRANSLATED = new Set([
  "temperature",
  "top_p",
  "top_k",
  "max_tokens",
  "max_completion_tokens",
  "stop",
  "n",
  "seed",
  "presence_penalty",
  "frequency_penalty",
  "response_format",
  "reasoning_effort",
  "logprobs",
  "top_logprobs",
  "tools",
  "tool_choice",
]);

/** What Google documents to send as the signature of a function call another model made. */
export const FOREIGN_THOUGHT_SIGNATURE = "skip_thought_signature_validator";

const THINKING_BUDGETS: Record<string, number> = {
  none: 0,
  minimal: 0,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
};

export function chatRequestToGemini(request: ChatRequest): TranslatedRequest<GeminiRequest> {
  const dropped: string[] = [];
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    if (PLATFORM_HINTS.has(field) || TRANSLATED.has(field)) continue;
    throw untranslatable(field, "Gemini's API has no equivalent");
  }

  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const callNames = new Map<string, string>();
  request.messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    switch (message.role) {
      case "system":
      case "developer":
        system.push(...textParts(message.content, at));
        return;
      case "user":
        push(contents, "user", userParts(message.content, `${at}.content`));
        return;
      case "assistant":
        if (message.reasoning_content) dropped.push("reasoning_content");
        push(contents, "model", assistantParts(message, callNames, at));
        return;
      case "tool":
      case "function": {
        const id = message.tool_call_id ?? "";
        const name = callNames.get(id) ?? message.name ?? "function";
        const part: GeminiPart = {
          functionResponse: { id: id || undefined, name, response: responseOf(message.content) },
        };
        push(contents, "user", [part]);
        return;
      }
    }
  });

  const body: GeminiRequest = { contents };
  if (system.length) body.systemInstruction = { parts: system };
  if (request.tools?.length) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => {
          if (tool.type !== "function")
            throw untranslatable("tools", `tools of type '${tool.type}' cannot be sent to Gemini`);
          return {
            name: tool.function.name,
            ...(tool.function.description ? { description: tool.function.description } : {}),
            parametersJsonSchema: tool.function.parameters ?? { type: "object", properties: {} },
          };
        }),
      },
    ];
  }
  const toolConfig = toolConfigOf(request.tool_choice);
  if (toolConfig) body.toolConfig = toolConfig;
  const generation = generationConfigOf(request);
  if (Object.keys(generation).length) body.generationConfig = generation;
  return { body, dropped: [...new Set(dropped)] };
}

/** Gemini wants one turn per role change: a tool result after a tool result joins its turn. */
function push(contents: GeminiContent[], role: "user" | "model", parts: GeminiPart[]): void {
  if (!parts.length) return;
  const last = contents.at(-1);
  if (last?.role === role) last.parts = [...(last.parts ?? []), ...parts];
  else contents.push({ role, parts });
}

function textParts(content: ChatMessage["content"], at: string): GeminiPart[] {
  if (typeof content === "string") return content ? [{ text: content }] : [];
  return (content ?? []).map((part, j) => {
    if (part.type !== "text")
      throw untranslatable(`${at}.content[${j}]`, "only text is allowed here");
    return { text: part.text ?? "" };
  });
}

function userParts(content: ChatMessage["content"], at: string): GeminiPart[] {
  if (typeof content === "string") return [{ text: content }];
  return (content ?? []).map((part, j) => userPart(part, `${at}[${j}]`));
}

function userPart(part: ChatContentPart, at: string): GeminiPart {
  switch (part.type) {
    case "text":
      return { text: part.text ?? "" };
    case "image_url": {
      const url = part.image_url?.url ?? "";
      return dataUrlPart(url) ?? { fileData: { fileUri: url, mimeType: imageMimeOf(url) } };
    }
    case "file": {
      const data = part.file?.file_data;
      const inline = data ? dataUrlPart(data) : null;
      if (inline) return inline;
      throw untranslatable(`${at}.file`, "Gemini needs the file's data (file ids are OpenAI's)");
    }
    case "input_audio": {
      const audio = part.input_audio as { data?: string; format?: string } | undefined;
      return {
        inlineData: { mimeType: `audio/${audio?.format ?? "wav"}`, data: audio?.data ?? "" },
      };
    }
    default:
      throw untranslatable(at, `content parts of type '${part.type}' cannot be sent to Gemini`);
  }
}

function dataUrlPart(url: string): GeminiPart | null {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  return match ? { inlineData: { mimeType: match[1], data: match[2] } } : null;
}

function imageMimeOf(url: string): string {
  const extension = /\.(\w+)(?:[?#]|$)/.exec(url)?.[1]?.toLowerCase();
  if (extension === "png") return "image/png";
  if (extension === "webp") return "image/webp";
  if (extension === "gif") return "image/gif";
  return "image/jpeg";
}

function assistantParts(
  message: ChatMessage,
  callNames: Map<string, string>,
  at: string,
): GeminiPart[] {
  const parts: GeminiPart[] = [];
  if (typeof message.content === "string" && message.content) parts.push({ text: message.content });
  else if (Array.isArray(message.content)) parts.push(...textParts(message.content, at));
  for (const call of message.tool_calls ?? []) {
    callNames.set(call.id, call.function.name);
    parts.push({
      functionCall: {
        id: call.id,
        name: call.function.name,
        args: argsOf(call.function.arguments),
      },
      thoughtSignature: FOREIGN_THOUGHT_SIGNATURE,
    });
  }
  return parts;
}

function argsOf(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text || "{}");
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { value: parsed };
  } catch {
    return { input: text };
  }
}

/** Gemini's `response` is an object: a JSON object result as it is, anything else as `output`. */
function responseOf(content: ChatMessage["content"]): Record<string, unknown> {
  const text =
    typeof content === "string" ? content : (content ?? []).map((part) => part.text ?? "").join("");
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Plain text: the common case.
  }
  return { output: text };
}

function toolConfigOf(choice: ChatRequest["tool_choice"]): GeminiToolConfig | null {
  if (!choice) return null;
  if (choice === "auto") return { functionCallingConfig: { mode: "AUTO" } };
  if (choice === "none") return { functionCallingConfig: { mode: "NONE" } };
  if (choice === "required") return { functionCallingConfig: { mode: "ANY" } };
  return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.function.name] } };
}

function generationConfigOf(request: ChatRequest): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  const number = (value: unknown) => (typeof value === "number" ? value : undefined);
  const set = <K extends keyof GeminiGenerationConfig>(
    key: K,
    value: GeminiGenerationConfig[K],
  ) => {
    if (value !== undefined) config[key] = value;
  };
  set("temperature", number(request.temperature));
  set("topP", number(request.top_p));
  set("topK", number(request.top_k));
  set("maxOutputTokens", number(request.max_completion_tokens ?? request.max_tokens));
  set("candidateCount", number(request.n));
  set("seed", number(request.seed));
  set("presencePenalty", number(request.presence_penalty));
  set("frequencyPenalty", number(request.frequency_penalty));
  if (typeof request.stop === "string") config.stopSequences = [request.stop];
  else if (Array.isArray(request.stop)) config.stopSequences = request.stop as string[];
  if (request.logprobs === true) config.responseLogprobs = true;
  set("logprobs", number(request.top_logprobs));

  const format = request.response_format as
    { type?: string; json_schema?: { schema?: unknown } } | undefined;
  if (format?.type === "json_object") config.responseMimeType = "application/json";
  else if (format?.type === "json_schema") {
    config.responseMimeType = "application/json";
    if (format.json_schema?.schema) config.responseJsonSchema = format.json_schema.schema;
  }

  const effort = typeof request.reasoning_effort === "string" ? request.reasoning_effort : null;
  if (effort && effort in THINKING_BUDGETS) {
    const budget = THINKING_BUDGETS[effort];
    config.thinkingConfig = budget
      ? { thinkingBudget: budget, includeThoughts: true }
      : { thinkingBudget: 0 };
  }
  return config;
}
