import type { ChatCompletionRequest } from "../chat/chat-request";
import { gatewayErrors } from "../../gateway-error";
import { isPromise } from "../../maybe-async";
import type { GatewayDeps } from "../../deps";
import { choosePath } from "../../pipeline/choose-path";
import { providerFor } from "../../providers/registry";
import type { Prepared } from "../../pipeline/protocol";
import type { ProviderCall } from "../../providers/provider";
import { chatAnswerToGemini } from "../../translate/gemini/chat-answer-to-gemini";
import { ChatStreamToGemini } from "../../translate/gemini/chat-stream-to-gemini";
import { geminiRequestToChat } from "../../translate/gemini/gemini-request-to-chat";
import { chatSseAsGeminiSse } from "../../translate/gemini/gemini-sse";
import type { ChatCompletion } from "../../translate/openai-chat-types";
import type { GatewayResponse, ResolvedModel } from "../../types";
import { chatProtocol } from "../chat/chat-protocol";
import type { GenerateContentBody } from "./generate-content";

/**
 * A Gemini request onto any non-Gemini chat model: translated to chat completions (refused
 * now, before the pipeline reserves anything, when it cannot be), then sent the way chat
 * completions are sent to that model — so an `anthropic` model gets Messages, metered in
 * Anthropic's terms, and the settlement is chat's own — and the answer or stream translated
 * back into GenerateContentResponse chunks. What was left out is named in
 * `x-modelbridge-dropped`.
 */
export function geminiViaChat(
  body: GenerateContentBody,
  model: ResolvedModel,
  deps: GatewayDeps,
): Prepared["forward"] {
  const translation = geminiRequestToChat(body.request, model.upstreamModel);
  const chat = translation.body as ChatCompletionRequest;
  chat.model = body.model;
  if (body.stream) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  const context = {
    model: body.model,
    includeThoughts: body.request.generationConfig?.thinkingConfig?.includeThoughts === true,
  };

  return async (call: ProviderCall): Promise<GatewayResponse> => {
    const route = choosePath(providerFor(model), chatProtocol, model);
    const preparing = chatProtocol.prepare(chat, model, call.ctx, deps, route);
    const prepared = isPromise(preparing) ? await preparing : preparing;
    const answer = await prepared.forward(call);
    if (translation.dropped.length) {
      answer.headers["x-modelbridge-dropped"] = translation.dropped.join(", ");
      call.ctx.dropped = [...(call.ctx.dropped ?? []), ...translation.dropped];
    }
    delete answer.headers["content-length"];
    if (typeof answer.body === "string" || answer.body instanceof Uint8Array) {
      let json: ChatCompletion;
      try {
        json = JSON.parse(
          typeof answer.body === "string" ? answer.body : Buffer.from(answer.body).toString("utf8"),
        ) as ChatCompletion;
      } catch {
        throw gatewayErrors.upstreamError("The model server sent a response that is not JSON.");
      }
      return {
        ...answer,
        headers: { ...answer.headers, "content-type": "application/json; charset=UTF-8" },
        body: JSON.stringify(chatAnswerToGemini(json, context)),
      };
    }
    return {
      ...answer,
      body: chatSseAsGeminiSse(answer.body, new ChatStreamToGemini(context)),
    };
  };
}
