import { relayAnthropicSse } from "../../anthropic-sse-relay";
import { callUpstream, readJsonAnswer } from "../../call-upstream";
import type { GatewayDeps } from "../../deps";
import type { MessagesPlan } from "../../protocols/anthropic/messages";
import type { RequestContext } from "../../request-context";
import { settleFromEstimate, settleFromUsage } from "../../settle-usage";
import { fitThinkingToCap } from "../../translate/chat-request-to-messages";
import type { AnthropicMessage, AnthropicMessagesRequest } from "../../translate/anthropic-types";
import { usageFromAnthropic } from "../../translate/usage";
import type { GatewayRequest, GatewayResponse } from "../../types";
import { anthropicHeaders, anthropicUrl } from "./anthropic-upstream";

/**
 * /v1/messages to an `anthropic` model: the client's body as sent but for the model name
 * and the token cap (and a thinking budget kept under a lowered cap, which Anthropic would
 * otherwise refuse); its headers (anthropic-beta…) and the `?beta=true` query too; the
 * answer and every event relayed as they come.
 */
export async function messagesPassthrough(
  deps: GatewayDeps,
  request: GatewayRequest,
  ctx: RequestContext,
  body: AnthropicMessagesRequest,
  plan: MessagesPlan,
): Promise<GatewayResponse> {
  const model = ctx.model!;
  const stream = body.stream === true;
  const upstreamBody = fitThinkingToCap({ ...body, model: model.upstreamModel }, plan.maxTokens);
  const response = await callUpstream(deps, request, ctx, {
    url: anthropicUrl(model, "/messages", request.query ?? ""),
    headers: anthropicHeaders(request.headers, model, { requestId: ctx.requestId, stream }),
    body: JSON.stringify(upstreamBody),
  });
  const headers = { "x-request-id": ctx.requestId, "request-id": ctx.requestId };

  if (!stream) {
    const { raw, json } = await readJsonAnswer<AnthropicMessage>(deps, request, response);
    const cutAtLimit = json.stop_reason === "max_tokens";
    if (json.usage) settleFromUsage(deps, ctx, usageFromAnthropic(json.usage), { status: 200, errorCode: null, cutAtLimit });
    else {
      const text = (json.content ?? []).map((block) => (block.type === "text" ? block.text : "")).join("");
      await settleFromEstimate(deps, ctx, plan.promptEstimate, text, { status: 200, errorCode: null, cutAtLimit, produced: true });
    }
    return { status: 200, headers: { ...headers, "content-type": "application/json" }, body: raw };
  }

  const relay = relayAnthropicSse(response, {
    cutAfterTokens: plan.cutAfterTokens,
    signal: request.signal,
    onEnd: (outcome) => {
      const errorCode = outcome.error?.code ?? (outcome.status === 499 ? "client_closed" : null);
      const cutAtLimit = outcome.cut || outcome.hitLength;
      if (outcome.usage && outcome.finalUsage) {
        settleFromUsage(deps, ctx, outcome.usage, { status: outcome.status, errorCode, cutAtLimit });
      } else {
        // The stream stopped before its final usage (client gone, upstream failed): what
        // was produced is counted here, and nothing produced costs nothing.
        deps.track(settleFromEstimate(deps, ctx, outcome.usage?.inputTokens || plan.promptEstimate, outcome.completionText, { status: outcome.status, errorCode, cutAtLimit, produced: outcome.produced }));
      }
    },
  });
  return {
    status: 200,
    headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no" },
    body: relay,
  };
}
