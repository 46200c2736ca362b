/**
 * What metering needs from a non-stream chat completion: its `usage`, and whether a choice
 * stopped at its token cap. Parsing the whole answer for that is the largest per-request
 * cost that grows with the answer's length, so the usual shape — `usage` as the last
 * top-level member, as OpenAI, vLLM, TGI and Ollama send it — is read from the tail alone:
 * `{` + the text from the last `"usage"` on is valid JSON only when that `"usage"` is a
 * top-level key (inside a string its quotes would be escaped; deeper in the tree the tail
 * would close more brackets than it opens). Anything else falls back to a full parse.
 */
export interface ResponseShape {
  usage: { promptTokens: number; completionTokens: number; cachedInputTokens?: number } | null;
  hitLength: boolean;
  /** The choices' text, for an estimate; only filled when there is no usage. */
  text: string;
}

interface ParsedCompletion {
  usage?: UsageShape | null;
  choices?: { finish_reason?: string | null; message?: { content?: unknown } }[];
}

const FINISHED_AT_LENGTH = /"finish_reason"\s*:\s*"length"/;

/** Throws SyntaxError when the answer is not JSON (and has no usage tail). */
export function readResponseShape(raw: string): ResponseShape {
  const tail = usageFromTail(raw);
  if (tail) return { usage: tail, hitLength: FINISHED_AT_LENGTH.test(raw), text: "" };

  const parsed = JSON.parse(raw) as ParsedCompletion | null;
  if (parsed === null || typeof parsed !== "object") throw new SyntaxError("not a JSON object");
  const hitLength = parsed.choices?.some((choice) => choice?.finish_reason === "length") ?? false;
  if (parsed.usage && typeof parsed.usage === "object") {
    return { usage: tokensOf(parsed.usage), hitLength, text: "" };
  }
  const text = (parsed.choices ?? [])
    .map((choice) => (typeof choice?.message?.content === "string" ? choice.message.content : ""))
    .join("");
  return { usage: null, hitLength, text };
}

function usageFromTail(raw: string): ResponseShape["usage"] {
  const at = raw.lastIndexOf('"usage"');
  if (at <= 0) return null;
  let tail: { usage?: unknown };
  try {
    tail = JSON.parse(`{${raw.slice(at)}`) as { usage?: unknown };
  } catch {
    return null;
  }
  const usage = tail.usage;
  if (!usage || typeof usage !== "object") return null;
  return tokensOf(usage as UsageShape);
}

interface UsageShape {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  /** The cached part of prompt_tokens (OpenAI, and Gemini's or Claude's translated usage). */
  prompt_tokens_details?: { cached_tokens?: unknown } | null;
}

function tokensOf(usage: UsageShape) {
  const promptTokens = Number(usage.prompt_tokens ?? 0) || 0;
  const cached = Math.min(promptTokens, Number(usage.prompt_tokens_details?.cached_tokens) || 0);
  return {
    promptTokens,
    completionTokens: Number(usage.completion_tokens ?? 0) || 0,
    ...(cached > 0 ? { cachedInputTokens: cached } : {}),
  };
}
