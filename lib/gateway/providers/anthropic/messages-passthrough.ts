import { relayAnthropicSse } from "../../anthropic-sse-relay";
import type { ForwardCall } from "../../pipeline/protocol";
import { settleFromEstimate, settleFromUsage } from "../../settle-usage";
import { fitThinkingToCap } from "../../translate/chat-request-to-messages";
import type { AnthropicMessage, AnthropicMessagesRequest } from "../../translate/anthropic-types";
import { usageFromAnthropic } from "../../translate/usage";
import type { GatewayResponse } from "../../types";
import { parseAnswer, readAnswer } from "../openai-provider";
import { callAnthropic } from "./anthropic-provider";

/**
 * /v1/messages to an `anthropic` model: the client's body as sent but for the model name
 * and the token cap (and a thinking budget kept under a lowered cap, which Anthropic would
 * otherwise refuse); its headers (anthropic-beta…) and the `?beta=true` query too; the
 * answer and every event relayed as they come.
 */
export async function messagesPassthrough(call: ForwardCall, body: AnthropicMessagesRequest, promptEstimate: number): Promise<GatewayResponse> {
  const { deps, request, ctx, model } = call;
  const stream = body.stream === true;
  const upstreamBody = fitThinkingToCap({ ...body, model: model.upstreamModel }, call.cap.tokens);
  const response = await callAnthropic(call, "/messages", upstreamBody, { stream, query: request.query });
  const headers = { "x-request-id": ctx.requestId, "request-id": ctx.requestId };

  if (!stream) {
    const raw = await readAnswer(call, response);
    const json = parseAnswer(raw) as unknown as AnthropicMessage;
    const cutAtLimit = json.stop_reason === "max_tokens";
    if (json.usage) settleFromUsage(deps, ctx, usageFromAnthropic(json.usage), { status: 200, errorCode: null, cutAtLimit });
    else {
      const text = (json.content ?? []).map((block) => (block.type === "text" ? block.text : "")).join("");
      await settleFromEstimate(deps, ctx, promptEstimate, text, { status: 200, errorCode: null, cutAtLimit, produced: true });
    }
    return { status: 200, headers: { ...headers, "content-type": "application/json" }, body: raw };
  }

  const relay = relayAnthropicSse(response, {
    cutAfterDeltas: call.cutAfterDeltas,
    signal: request.signal,
    onEnd: (outcome) => {
      const errorCode = outcome.error?.code ?? (outcome.status === 499 ? "client_closed" : null);
      const cutAtLimit = outcome.cut || outcome.hitLength;
      if (outcome.usage && outcome.finalUsage) {
        settleFromUsage(deps, ctx, outcome.usage, { status: outcome.status, errorCode, cutAtLimit });
      } else {
        // The stream stopped before its final usage (client gone, upstream failed): what
        // was produced is counted here, and nothing produced costs nothing.
        deps.track(settleFromEstimate(deps, ctx, outcome.usage?.inputTokens || promptEstimate, outcome.completionText, { status: outcome.status, errorCode, cutAtLimit, produced: outcome.produced }));
      }
    },
  });
  return {
    status: 200,
    headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no" },
    body: relay,
  };
}
