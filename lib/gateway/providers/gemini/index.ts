import { ApiError } from "@/lib/errors/api-error";
import type { Provider } from "../provider";
import { callGeminiAsChat } from "./gemini-as-chat";
import { callGeminiAsEmbeddings } from "./gemini-as-embeddings";
import { callGemini, type GeminiUpstreamMethod } from "./gemini-upstream";
import { geminiProbe } from "./probe";

/**
 * The `gemini` provider: Google's Gemini API (generativelanguage.googleapis.com, or any
 * server speaking it). Gemini clients (/v1beta…) pass through (protocols/gemini asks
 * `send` with the method as path); chat completions, Responses and Messages reach it
 * through `chat` (translated both ways); OpenAI embeddings through batchEmbedContents.
 * It has no legacy completions.
 */
const METHODS = new Set<GeminiUpstreamMethod>([
  "generateContent",
  "streamGenerateContent",
  "countTokens",
  "embedContent",
  "batchEmbedContents",
]);

export const geminiProvider: Provider = {
  id: "gemini",
  tokenFamily: "openai",
  telemetryName: "gcp.gemini",
  ownedBy: "organization",
  servesChat: true,
  // Gemini's own generateContent passes through; OpenAI's embeddings are sent as
  // batchEmbedContents by `send`; every other protocol goes via chat.
  servesNatively: (protocol) => protocol === "gemini" || protocol === "embeddings",
  chatEndpoints: () => ["/v1/chat/completions", "/v1/responses", "/v1/messages"],
  doesNotServe: (model, path) =>
    new ApiError(
      404,
      "model_not_found",
      `The model '${model.name}' is served by Google's Gemini API: it serves /v1/chat/completions, /v1/responses, /v1/messages and /v1beta/models/${model.name}:generateContent, not ${path}.`,
      "model",
    ),
  send(call, { path, body }) {
    if (path === "/embeddings") return callGeminiAsEmbeddings(call, body);
    const method = path.replace(/^\//, "") as GeminiUpstreamMethod;
    if (!METHODS.has(method)) throw this.doesNotServe(call.model, `/v1${path}`);
    return callGemini(call, method, body);
  },
  chat: callGeminiAsChat,
  probe: geminiProbe,
};
