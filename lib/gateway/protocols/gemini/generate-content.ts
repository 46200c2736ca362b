import type { Protocol } from "../../pipeline/protocol";
import { promptSize } from "../../pipeline/request-prompt";
import { familyOf } from "../../providers/registry";
import type { GeminiRequest } from "../../translate/gemini/gemini-types";
import { geminiViaChat } from "./gemini-via-chat";
import { parseGenerateContent } from "./gemini-request";
import { geminiPrompt } from "./gemini-prompt";
import { generateContentPassthrough } from "../../providers/gemini/generate-content-passthrough";

/**
 * `POST /{version}/models/{model}:generateContent` and `:streamGenerateContent?alt=sse` on
 * the shared pipeline (key status, allowed models, rate limits, balance, reservation,
 * recording). The model comes from the path. A `gemini` model gets the request passed
 * through; any other chat model gets it translated onto chat completions (and from there,
 * for an `anthropic` model, onto Messages) — refused here, before any budget is reserved,
 * when it cannot be.
 */
export interface GenerateContentBody {
  model: string;
  stream: boolean;
  request: GeminiRequest;
}

export function generateContentProtocol(
  model: string,
  stream: boolean,
): Protocol<GenerateContentBody> {
  return {
    name: "gemini",
    viaChat: true,
    endpoint: stream ? "gemini.streamGenerateContent" : "gemini.generateContent",
    serves: "chat",
    path: `models/${model}:${stream ? "streamGenerateContent" : "generateContent"}`,
    parse: (raw) => ({ model, stream, request: parseGenerateContent(raw) }),
    prepare(body, resolved, _ctx, deps, route) {
      const prompt = promptSize(() => geminiPrompt(body.request, familyOf(resolved)));
      const config = body.request.generationConfig;
      const base = {
        prompt,
        capRequest: { max_tokens: config?.maxOutputTokens ?? null },
        n: config?.candidateCount ?? 1,
        estimatePrompt: prompt.estimate,
      };
      if (route === "native")
        return {
          ...base,
          forward: (call) => generateContentPassthrough(call, body, prompt.count()),
        };
      const forward = geminiViaChat(body, resolved, deps);
      return { ...base, forward };
    },
  };
}
