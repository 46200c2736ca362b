import { ApiError } from "@/lib/errors/api-error";
import type { ChatCompletionRequest } from "../../protocols/chat/chat-request";
import type { Provider } from "../provider";
import { sendUpstream } from "../send-upstream";
import { echoResponse } from "./echo-model";
import { checkEchoRequest } from "./echo-request-rules";

/**
 * The built-in demo model (`modelbridge/echo`): a model server inside the process that
 * speaks chat completions, so a fresh install works end to end with no GPU. Responses and
 * Messages reach it translated onto chat; legacy completions and embeddings do not.
 */
export const echoProvider: Provider = {
  id: "echo",
  tokenFamily: "openai",
  telemetryName: "modelbridge",
  ownedBy: "modelbridge",
  servesChat: true,
  servesNatively: (protocol) => protocol === "chat",
  chatEndpoints: () => ["/v1/chat/completions", "/v1/responses", "/v1/messages"],
  doesNotServe: (model, path) =>
    new ApiError(
      404,
      "model_not_found",
      `The model '${model.name}' is the built-in demo model: it serves /v1/chat/completions and /v1/responses, not ${path}.`,
      "model",
    ),
  // It judges a chat request as OpenAI's Chat Completions would, before anything is reserved.
  checkRequest(protocol, body) {
    if (protocol === "chat") checkEchoRequest(body as ChatCompletionRequest);
  },
  send(call, { path, body }) {
    if (path !== "/chat/completions") throw this.doesNotServe(call.model, `/v1${path}`);
    return sendUpstream(call, async () =>
      // The demo model is ours: it answers under its public name, as clients asked for it.
      echoResponse({ ...body, model: call.model.name } as never, {
        paceMs: call.deps.config.echoPaceMs,
        signal: call.request.signal,
      }),
    );
  },
  chat(call, body, stream) {
    return this.send(call, { path: "/chat/completions", body, stream });
  },
  probe: () => null,
};
