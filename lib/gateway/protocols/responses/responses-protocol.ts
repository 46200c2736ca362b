import { chatPrompt, promptSize, responsesPrompt } from "../../pipeline/request-prompt";
import { familyOf } from "../../providers/registry";
import type { Prepared, Protocol } from "../../pipeline/protocol";
import type { ResolvedModel } from "../../types";
import { responsesToChat } from "../../translate/responses-to-chat";
import { parseJsonBody } from "../parse-json-body";
import { forwardNativeResponses } from "./native-responses";
import { isPromise } from "../../maybe-async";
import { responsesRequest, type ResponsesRequest } from "./responses-request";
import { forwardResponsesViaChat } from "./responses-via-chat";

/**
 * `POST /v1/responses`. A model whose upstream serves the Responses API itself gets the
 * request passed through (model name and token cap aside); any other chat model gets it
 * translated onto chat completions and its answer translated back.
 */
export const responsesProtocol: Protocol<ResponsesRequest> = {
  name: "responses",
  viaChat: true,
  endpoint: "responses",
  serves: "chat",
  path: "/v1/responses",
  parse: (raw) => parseJsonBody(raw, responsesRequest),
  prepare(body, model, ctx, deps, route) {
    // `max_output_tokens` is the client's cap; upstream it goes in the model's own field.
    const capRequest =
      body.max_output_tokens == null ? {} : { [model.tokenCapField]: body.max_output_tokens };
    if (route === "native") {
      // Every billable part as sent; a stored conversation (previous_response_id) is unknown.
      const prompt = promptSize(() => responsesPrompt(body, familyOf(model)));
      return {
        prompt,
        capRequest,
        n: 1,
        estimatePrompt: prompt.estimate,
        forward: (call) => forwardNativeResponses(call, body, prompt.estimate),
      };
    }
    // Earlier turns' items by reference: from this process's copy or the database.
    const resolved = ctx.key ? deps.items.resolve(ctx.key.id, body.input) : body.input;
    if (isPromise(resolved))
      return resolved.then((input) => viaChat(body, input, capRequest, model));
    return viaChat(body, resolved, capRequest, model);
  },
};

function viaChat(
  body: ResponsesRequest,
  input: unknown,
  capRequest: Prepared["capRequest"],
  model: ResolvedModel,
): Prepared {
  const translation = responsesToChat({ ...body, input });
  // The chat request as it goes upstream: text.format became response_format, and so on.
  const prompt = promptSize(() => chatPrompt(translation.chat, familyOf(model)));
  return {
    prompt,
    capRequest,
    n: 1,
    estimatePrompt: prompt.estimate,
    forward: (call) => forwardResponsesViaChat(call, body, translation, prompt.estimate),
  };
}
