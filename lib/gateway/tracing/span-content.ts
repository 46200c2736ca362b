/**
 * Message content for a span (gen_ai.input.messages, gen_ai.output.messages and
 * gen_ai.system_instructions), in the GenAI conventions' JSON shape: `[{role, parts:
 * [{type: "text", content}]}]`, output messages with their `finish_reason`. Built only
 * when payload capture covers the request (PRODUCT.md), from the bodies the capture kept;
 * each attribute is held to the capture's byte cap by shortening the longest texts, so the
 * JSON stays valid. A body that does not parse (cut by the cap, or not JSON) gives nothing.
 */
type Part =
  | { type: "text"; content: string }
  | { type: "tool_call"; id?: string; name?: string; arguments?: unknown }
  | { type: "tool_call_response"; id?: string; result?: unknown }
  | { type: string };
interface Message {
  role: string;
  parts: Part[];
  finish_reason?: string;
}

export interface SpanContent {
  inputMessages?: string;
  outputMessages?: string;
  systemInstructions?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const parse = (text: string | null): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** OpenAI's and Anthropic's content: a string, or parts (text kept, others named by type). */
function partsOf(content: unknown): Part[] {
  if (typeof content === "string") return [{ type: "text", content }];
  if (!Array.isArray(content)) return [];
  return content.filter(isObject).map((p): Part => {
    const text = typeof p.text === "string" ? p.text : undefined;
    if (text !== undefined) return { type: "text", content: text };
    if (p.type === "tool_use")
      return { type: "tool_call", id: str(p.id), name: str(p.name), arguments: p.input };
    if (p.type === "tool_result")
      return { type: "tool_call_response", id: str(p.tool_use_id), result: p.content };
    return { type: String(p.type ?? "unknown") };
  });
}
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

function chatMessage(m: Json): Message {
  const parts = partsOf(m.content);
  if (Array.isArray(m.tool_calls))
    for (const call of m.tool_calls.filter(isObject)) {
      const fn = isObject(call.function) ? call.function : {};
      parts.push({
        type: "tool_call",
        id: str(call.id),
        name: str(fn.name),
        arguments: fn.arguments,
      });
    }
  if (m.role === "tool")
    return {
      role: "tool",
      parts: [{ type: "tool_call_response", id: str(m.tool_call_id), result: m.content }],
    };
  return { role: String(m.role ?? "user"), parts };
}

function input(endpoint: string, body: unknown): { messages: Message[]; system?: Part[] } {
  if (!isObject(body)) return { messages: [] };
  if (endpoint === "chat.completions" && Array.isArray(body.messages))
    return { messages: body.messages.filter(isObject).map(chatMessage) };
  if (endpoint === "messages" && Array.isArray(body.messages))
    return {
      messages: body.messages
        .filter(isObject)
        .map((m) => ({ role: String(m.role), parts: partsOf(m.content) })),
      system: body.system === undefined ? undefined : partsOf(body.system),
    };
  if (endpoint === "responses") {
    const system = typeof body.instructions === "string" ? partsOf(body.instructions) : undefined;
    if (typeof body.input === "string")
      return { messages: [{ role: "user", parts: partsOf(body.input) }], system };
    if (Array.isArray(body.input))
      return {
        messages: body.input.filter(isObject).map((item) =>
          item.type === "function_call_output"
            ? {
                role: "tool",
                parts: [{ type: "tool_call_response", id: str(item.call_id), result: item.output }],
              }
            : { role: String(item.role ?? "user"), parts: partsOf(item.content) },
        ),
        system,
      };
  }
  return { messages: [] };
}

/** The answer's text, from a JSON body or an SSE stream, per protocol. */
function output(endpoint: string, body: string, reasons: string[]): Message[] {
  const finish = reasons[0];
  const assistant = (parts: Part[], reason = finish): Message => ({
    role: "assistant",
    parts,
    ...(reason ? { finish_reason: reason } : {}),
  });
  const whole = parse(body);
  if (isObject(whole)) {
    if (endpoint === "chat.completions" && Array.isArray(whole.choices))
      return whole.choices.filter(isObject).map((c) => ({
        ...chatMessage(isObject(c.message) ? c.message : {}),
        role: "assistant",
        ...(c.finish_reason ? { finish_reason: String(c.finish_reason) } : {}),
      }));
    if (endpoint === "messages") return [assistant(partsOf(whole.content))];
    if (endpoint === "responses") return [assistant(responseParts(whole.output))];
    return [];
  }
  // A stream: the text deltas joined, and for Responses the final response's output.
  let text = "";
  let final: Message | null = null;
  for (const line of body.split("\n")) {
    if (!line.startsWith("data:")) continue;
    const event = parse(line.slice(5).trim());
    if (!isObject(event)) continue;
    if (endpoint === "chat.completions" && Array.isArray(event.choices)) {
      const delta = isObject(event.choices[0]) ? event.choices[0].delta : undefined;
      if (isObject(delta) && typeof delta.content === "string") text += delta.content;
    } else if (
      endpoint === "messages" &&
      isObject(event.delta) &&
      typeof event.delta.text === "string"
    )
      text += event.delta.text;
    else if (endpoint === "responses") {
      if (event.type === "response.output_text.delta" && typeof event.delta === "string")
        text += event.delta;
      if (
        isObject(event.response) &&
        Array.isArray(event.response.output) &&
        event.response.output.length
      )
        final = assistant(responseParts(event.response.output));
    }
  }
  if (final) return [final];
  return text || finish ? [assistant(text ? [{ type: "text", content: text }] : [])] : [];
}

function responseParts(items: unknown): Part[] {
  if (!Array.isArray(items)) return [];
  return items.filter(isObject).flatMap((item): Part[] => {
    if (item.type === "message") return partsOf(item.content);
    if (item.type === "function_call")
      return [
        {
          type: "tool_call",
          id: str(item.call_id),
          name: str(item.name),
          arguments: item.arguments,
        },
      ];
    return [{ type: String(item.type ?? "unknown") }];
  });
}

/** JSON no longer than maxBytes: the longest text is halved until it fits (and marked). */
export function cappedJson(value: unknown, maxBytes: number): string | undefined {
  let json = JSON.stringify(value);
  for (let i = 0; i < 64 && Buffer.byteLength(json) > maxBytes; i++) {
    const texts: { content: string }[] = [];
    const collect = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (isObject(v)) {
        if (v.type === "text" && typeof v.content === "string")
          texts.push(v as { content: string });
        Object.values(v).forEach(collect);
      }
    };
    collect(value);
    const longest = texts.sort((a, b) => b.content.length - a.content.length)[0];
    if (!longest || longest.content.length < 16) return undefined;
    longest.content = `${longest.content.slice(0, Math.floor(longest.content.length / 2))}…[truncated]`;
    json = JSON.stringify(value);
  }
  return Buffer.byteLength(json) > maxBytes ? undefined : json;
}

export function spanContent(
  endpoint: string,
  requestBody: string | null,
  responseBody: string | null,
  finishReasons: string[],
  maxBytes: number,
): SpanContent {
  const asked = input(endpoint, parse(requestBody));
  const answered = responseBody ? output(endpoint, responseBody, finishReasons) : [];
  return {
    inputMessages: asked.messages.length ? cappedJson(asked.messages, maxBytes) : undefined,
    outputMessages: answered.length ? cappedJson(answered, maxBytes) : undefined,
    systemInstructions: asked.system?.length ? cappedJson(asked.system, maxBytes) : undefined,
  };
}
