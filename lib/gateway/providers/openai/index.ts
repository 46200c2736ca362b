import { ApiError } from "@/lib/errors/api-error";
import { upstreamHeaders } from "../forward-headers";
import type { Provider } from "../provider";
import { sendUpstream } from "../send-upstream";
import { openaiProbe } from "./probe";
import { shareHolderOf } from "../../relay/connection-share";

/**
 * The `openai` provider: any OpenAI-compatible server (vLLM, TGI, Ollama, NIM, OpenAI), at
 * `<base_url><path>`, with the deployment's credential as a Bearer token. It speaks chat,
 * legacy completions and embeddings itself, and Responses when the model says its server
 * does; Messages clients reach it translated onto chat.
 */
export const openaiProvider: Provider = {
  id: "openai",
  tokenFamily: "openai",
  telemetryName: "openai",
  ownedBy: "organization",
  servesChat: true,
  servesNatively: (protocol, model) =>
    protocol === "responses"
      ? model.nativeResponses
      : protocol !== "messages" && protocol !== "gemini",
  chatEndpoints: () => ["/v1/chat/completions", "/v1/responses", "/v1/completions", "/v1/messages"],
  doesNotServe: (model, path) =>
    new ApiError(
      404,
      "model_not_found",
      `The model '${model.name}' does not serve ${path}.`,
      "model",
    ),
  send(call, { path, body, stream }) {
    const { deps, request, ctx, deployment } = call;
    return sendUpstream(call, () =>
      deps.upstream.send({
        url: `${deployment.baseUrl}${path}`,
        headers: upstreamHeaders(request.headers, {
          apiKey: deployment.apiKey,
          requestId: ctx.requestId,
          stream,
          trace: ctx.trace,
        }),
        body: JSON.stringify(body),
        signal: call.signal,
        holder: shareHolderOf(ctx.key),
        connectTimeoutMs: deployment.connectTimeoutMs,
        firstByteTimeoutMs: deployment.firstByteTimeoutMs,
        idleTimeoutMs: deployment.idleTimeoutMs,
      }),
    );
  },
  chat(call, body, stream) {
    return this.send(call, { path: "/chat/completions", body, stream });
  },
  probe: openaiProbe,
};
