import { quickPromptTokens } from "../../token-estimate";
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
    const clientMaxTokens = body.max_output_tokens ?? null;
    if (model.nativeResponses && model.provider === "openai" && model.kind === "http") {
      // Sized from the items as sent, JSON and all: a reservation must lean high.
      const sent = JSON.stringify([body.instructions ?? "", body.input ?? "", body.tools ?? []]);
      const promptTokens = quickPromptTokens({ messages: [{ content: sent }] });
      return { promptTokens, clientMaxTokens, producesOutput: true, n: 1, forward: (call) => forwardNativeResponses(call, body) };
    }
    const keyId = ctx.key?.id ?? "";
    const translation = responsesToChat({ ...body, input: resolveReferences(keyId, body.input) });
    const promptTokens = quickPromptTokens(translation.chat as { messages: unknown[]; tools?: unknown });
    return { promptTokens, clientMaxTokens, producesOutput: true, n: 1, forward: (call) => forwardResponsesViaChat(call, body, translation) };
  },
};
