import { callUpstream, readJsonAnswer } from "../../call-upstream";
import type { GatewayDeps } from "../../deps";
import { echoResponse } from "../../echo-model";
import { upstreamHeaders } from "../../forward-headers";
import type { RequestContext } from "../../request-context";
import { settleFromEstimate, settleFromUsage } from "../../settle-usage";
import { relaySse } from "../../sse-relay";
import type { AnthropicMessagesRequest } from "../../translate/anthropic-types";
import { chatAnswerToMessages } from "../../translate/chat-answer-to-messages";
import { ChatStreamToMessages } from "../../translate/chat-stream-to-messages";
import { messagesRequestToChat } from "../../translate/messages-request-to-chat";
import type { ChatCompletion } from "../../translate/openai-chat-types";
import { chatSseAsMessagesSse } from "../../translate/sse-translate";
import { usageFromChat } from "../../translate/usage";
import type { GatewayRequest, GatewayResponse } from "../../types";
import type { UpstreamResponse } from "../../upstream-client";
import type { MessagesPlan } from "./messages";

/**
 * /v1/messages onto an OpenAI-compatible model (or the built-in echo model): the request
 * translated to chat completions, the answer or stream translated back, metered from the
 * chat usage. What the translation left out is named in `x-modelbridge-dropped` and the log.
 */
export async function messagesViaChat(
  deps: GatewayDeps,
  request: GatewayRequest,
  ctx: RequestContext,
  body: AnthropicMessagesRequest,
  plan: MessagesPlan,
): Promise<GatewayResponse> {
  const model = ctx.model!;
  const stream = body.stream === true;
  const { body: chat, dropped } = messagesRequestToChat(body);
  chat.model = model.upstreamModel;
  chat.max_tokens = plan.maxTokens;

  const headers: Record<string, string> = { "x-request-id": ctx.requestId, "request-id": ctx.requestId };
  if (dropped.length) {
    headers["x-modelbridge-dropped"] = dropped.join(", ");
    deps.log({ level: "info", msg: "v1 translation dropped fields", request_id: ctx.requestId, dropped });
  }

  let response: UpstreamResponse;
  if (model.kind === "builtin-echo") {
    ctx.upstreamStartedAt = deps.clock();
    response = await echoResponse({ ...chat, model: model.name } as never, { paceMs: deps.config.echoPaceMs, signal: request.signal });
  } else {
    response = await callUpstream(deps, request, ctx, {
      url: `${model.baseUrl}/chat/completions`,
      headers: upstreamHeaders(request.headers, { apiKey: model.apiKey, requestId: ctx.requestId, stream }),
      body: JSON.stringify(chat),
    });
  }

  const context = { model: body.model, stopSequences: body.stop_sequences };
  if (!stream) {
    const { json } = await readJsonAnswer<ChatCompletion>(deps, request, response);
    const message = chatAnswerToMessages(json, context);
    const cutAtLimit = json.choices?.some((choice) => choice.finish_reason === "length") ?? false;
    if (json.usage) settleFromUsage(deps, ctx, usageFromChat(json.usage), { status: 200, errorCode: null, cutAtLimit });
    else {
      const text = message.content.map((block) => (block.type === "text" ? block.text : block.type === "thinking" ? block.thinking : "")).join("");
      await settleFromEstimate(deps, ctx, plan.promptEstimate, text, { status: 200, errorCode: null, cutAtLimit, produced: true });
    }
    return { status: 200, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(message) };
  }

  const translator = new ChatStreamToMessages({ ...context, inputTokensEstimate: plan.promptEstimate });
  const relay = relaySse(response, {
    clientWantsUsage: true,
    cutAfterTokens: plan.cutAfterTokens,
    signal: request.signal,
    onEnd: (outcome) => {
      const errorCode = outcome.error?.code ?? (outcome.status === 499 ? "client_closed" : null);
      const cutAtLimit = outcome.cut || outcome.hitLength;
      if (outcome.usage) {
        // The translator has read the same usage chunk, cached tokens included (each piece the
        // relay yields is translated before the relay is asked for the next, and ends).
        const usage = translator.tokenUsage ?? { inputTokens: outcome.usage.promptTokens, outputTokens: outcome.usage.completionTokens, cacheReadTokens: 0, cacheWriteTokens: 0 };
        settleFromUsage(deps, ctx, usage, { status: outcome.status, errorCode, cutAtLimit });
      } else {
        deps.track(settleFromEstimate(deps, ctx, plan.promptEstimate, outcome.completionText, { status: outcome.status, errorCode, cutAtLimit, produced: outcome.produced }));
      }
    },
  });
  return {
    status: 200,
    headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no" },
    body: chatSseAsMessagesSse(relay, translator),
  };
}
