import { ApiError } from "@/lib/errors/api-error";
import { readAnswer, parseAnswer } from "../answer";
import type { Provider } from "../provider";
import { callAnthropic } from "./anthropic-provider";
import { callAnthropicAsChat } from "./anthropic-as-chat";
import { chatViaAnthropic } from "./chat-via-anthropic";
import { anthropicProbe } from "./probe";

/**
 * The `anthropic` provider: Anthropic's Messages API. Messages clients pass through; chat
 * clients are served by its own translation, metered in Anthropic's terms (cache writes at
 * their price); Responses clients reach it through `chat`. It has no legacy completions and
 * no embeddings; count_tokens is asked of its own tokenizer.
 */
export const anthropicProvider: Provider = {
  id: "anthropic",
  tokenFamily: "anthropic",
  telemetryName: "anthropic",
  ownedBy: "organization",
  servesChat: true,
  servesNatively: (protocol) => protocol === "messages",
  chatEndpoints: () => ["/v1/chat/completions", "/v1/responses", "/v1/messages"],
  doesNotServe: (model, path) =>
    new ApiError(
      404,
      "model_not_found",
      `The model '${model.name}' is served by Anthropic's Messages API: it serves /v1/chat/completions, /v1/responses and /v1/messages, not ${path}.`,
      "model",
    ),
  send: (call, { path, body, stream, query }) => callAnthropic(call, path, body, { stream, query }),
  chat: callAnthropicAsChat,
  serveChat: (call, body, prompt) => chatViaAnthropic(call, body as never, prompt),
  async countTokens(call, body) {
    const response = await callAnthropic(
      call,
      "/messages/count_tokens",
      { ...body, model: call.deployment.upstreamModel },
      { stream: false, query: call.request.query },
    );
    const raw = await readAnswer(call, response);
    parseAnswer(raw);
    return raw;
  },
  probe: anthropicProbe,
};
