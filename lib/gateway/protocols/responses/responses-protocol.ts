import { countTokens, estimatePromptTokens, quickPromptTokens } from "../../token-estimate";
import type { Protocol } from "../../pipeline/protocol";
import { responsesToChat } from "../../translate/responses-to-chat";
import { parseJsonBody } from "../parse-json-body";
import { forwardNativeResponses } from "./native-responses";
import { resolveReferences } from "./recent-items";
import { responsesRequest, type ResponsesRequest } from "./responses-request";
import { forwardResponsesViaChat } from "./responses-via-chat";

/**
 * `POST /v1/responses`. A model whose upstream serves the Responses API itself gets the
 * request passed through (model name and token cap aside); any other chat model gets it
 * translated onto chat completions and its answer translated back.
 */
export const responsesProtocol: Protocol<ResponsesRequest> = {
  endpoint: "responses",
  serves: "chat",
  path: "/v1/responses",
  parse: (raw) => parseJsonBody(raw, responsesRequest),
  prepare(body, model, ctx) {
    // `max_output_tokens` is the client's cap; upstream it goes in the model's own field.
    const capRequest =
      body.max_output_tokens == null ? {} : { [model.tokenCapField]: body.max_output_tokens };
    if (model.nativeResponses && model.provider === "openai" && model.kind === "http") {
      // Sized from the items as sent, JSON and all: a reservation must lean high.
      const sent = JSON.stringify([body.instructions ?? "", body.input ?? "", body.tools ?? []]);
      return {
        promptTokens: quickPromptTokens({ messages: [{ content: sent }] }),
        capRequest,
        n: 1,
        estimatePrompt: () => countTokens(sent),
        forward: (call) => forwardNativeResponses(call, body),
      };
    }
    const translation = responsesToChat({
      ...body,
      input: resolveReferences(ctx.key?.id ?? "", body.input),
    });
    return {
      promptTokens: quickPromptTokens(translation.chat as { messages: unknown[]; tools?: unknown }),
      capRequest,
      n: 1,
      estimatePrompt: () => estimatePromptTokens(translation.chat.messages),
      forward: (call) => forwardResponsesViaChat(call, body, translation),
    };
  },
};
