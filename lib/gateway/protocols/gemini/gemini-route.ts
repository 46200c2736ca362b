import type { GatewayRequest } from "../../types";

/**
 * Google's Gemini API paths: `/{version}/models`, `/{version}/models/{model}` and
 * `/{version}/models/{model}:{method}` under `v1beta` (Gemini CLI, @google/genai 1.x),
 * `v1` (@google/genai 3.x's default) and `v1alpha`. A model name may itself hold slashes
 * (`fake/tools`) or colons (`llama3:8b`): the method is what follows the last colon.
 *
 * Under `/v1`, `GET /v1/models` and `GET /v1/models/{id}` are also OpenAI's: they are
 * Gemini's only when the client speaks like a Google client (its key as x-goog-api-key or
 * `?key=`, or the x-goog-api-client header every Google SDK sends).
 */
export const GEMINI_METHODS = [
  "generateContent",
  "streamGenerateContent",
  "countTokens",
  "embedContent",
  "batchEmbedContents",
] as const;
export type GeminiMethod = (typeof GEMINI_METHODS)[number];

export interface GeminiRoute {
  version: "v1beta" | "v1" | "v1alpha";
  /** The model as named in the path (without `models/`); null: the model list. */
  model: string | null;
  /** Null for GET of the list or one model; an unknown method is kept to be refused by name. */
  method: GeminiMethod | string | null;
}

const PATH = /^\/(v1beta|v1alpha|v1)\/models(?:\/(.+))?$/;

export function geminiRoute(request: GatewayRequest, path: string): GeminiRoute | null {
  const match = PATH.exec(path);
  if (!match) return null;
  const version = match[1] as GeminiRoute["version"];
  const rest = match[2] ? safeDecode(match[2]) : null;
  const colon = rest?.lastIndexOf(":") ?? -1;
  const method = rest && colon > 0 ? rest.slice(colon + 1) : null;
  const model = rest && colon > 0 ? rest.slice(0, colon) : rest;
  if (version === "v1" && method === null && !speaksGoogle(request)) return null;
  return { version, model, method };
}

/** A Google client: its key header, a `key` query parameter, or its SDK's client header. */
export function speaksGoogle(request: GatewayRequest): boolean {
  return Boolean(
    request.headers["x-goog-api-key"] ||
    request.headers["x-goog-api-client"] ||
    queryKey(request.query ?? ""),
  );
}

/** `?key=` of a Gemini request (never logged: only the path is ever recorded). */
export function queryKey(query: string): string | null {
  if (!query.includes("key=")) return null;
  return new URLSearchParams(query.startsWith("?") ? query.slice(1) : query).get("key");
}

/** The query string without `key`, for a Gemini upstream (`?alt=sse` stays). */
export function queryWithoutKey(query: string): string {
  const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  params.delete("key");
  const rest = params.toString();
  return rest ? `?${rest}` : "";
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
