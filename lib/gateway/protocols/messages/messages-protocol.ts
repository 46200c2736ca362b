import type { Protocol } from "../../pipeline/protocol";
import { messagesPassthrough } from "./messages-passthrough";
import type { AnthropicMessagesRequest } from "../../translate/anthropic-types";
import { messagesRequestToChat } from "../../translate/messages-request-to-chat";
import { parseMessagesRequest } from "./messages-request";
import { messagesViaChat } from "./messages-via-chat";
import { messagesPrompt, promptSize } from "../../pipeline/request-prompt";
import { familyOf } from "../../providers/registry";

/**
 * `POST /v1/messages`, Anthropic's Messages API (Claude Code, Anthropic's SDKs), on the
 * shared pipeline: a provider that speaks Messages gets the request passed through; any
 * other chat model (OpenAI-compatible servers, the built-in echo model) gets it translated onto chat
 * completions — refused here, before any budget is reserved, when it cannot be.
 */
export const messagesProtocol: Protocol<AnthropicMessagesRequest> = {
  name: "messages",
  viaChat: true,
  endpoint: "messages",
  serves: "chat",
  path: "/v1/messages",
  parse: (raw) => parseMessagesRequest(raw),
  prepare(body, model, _ctx, _deps, route) {
    const prompt = promptSize(() => messagesPrompt(body, familyOf(model)));
    // The client's cap, in the field the model's server takes (a translated request has no
    // field of the client's to keep).
    const capRequest =
      model.tokenCapField === "max_completion_tokens"
        ? { max_completion_tokens: body.max_tokens }
        : { max_tokens: body.max_tokens };
    const base = { prompt, capRequest, n: 1, estimatePrompt: prompt.estimate };
    if (route === "native") {
      return { ...base, forward: (call) => messagesPassthrough(call, body, prompt.count()) };
    }
    const translation = messagesRequestToChat(body);
    return {
      ...base,
      forward: (call) => messagesViaChat(call, body, translation, prompt.count()),
    };
  },
};
