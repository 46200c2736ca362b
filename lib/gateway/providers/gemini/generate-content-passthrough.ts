import type { ProviderCall } from "../../providers/provider";
import type { GenerateContentBody } from "../../protocols/gemini/generate-content";
import { sseResponse } from "../../relay/sse-response";
import { relayEvents } from "../../relay/relay-loop";
import { settleFromEstimate, settleFromUsage } from "../../pipeline/settle-usage";
import type { GeminiResponse } from "../../translate/gemini/gemini-types";
import { tokenUsageOfGemini } from "../../translate/gemini/gemini-usage";
import type { GatewayResponse } from "../../types";
import { parseAnswer, readAnswer } from "../answer";
import { callGemini } from "./gemini-upstream";
import { GeminiStreamMeter } from "./gemini-stream-meter";

/**
 * A Gemini client's generateContent to a `gemini` model: the request as sent but for the
 * model (in the path) and the token cap (`generationConfig.maxOutputTokens`); the answer
 * and every stream chunk relayed as they come; metered from usageMetadata — cached input at
 * its own price, thoughts as output.
 */
export async function generateContentPassthrough(
  call: ProviderCall,
  body: GenerateContentBody,
  promptEstimate: number,
): Promise<GatewayResponse> {
  const { deps, request, ctx } = call;
  const upstreamBody: Record<string, unknown> = { ...body.request };
  if (call.cap.tokens !== null)
    upstreamBody.generationConfig = {
      ...(body.request.generationConfig ?? {}),
      maxOutputTokens: call.cap.tokens,
    };
  const response = await callGemini(
    call,
    body.stream ? "streamGenerateContent" : "generateContent",
    upstreamBody,
  );
  const headers = { "x-request-id": ctx.requestId };

  if (!body.stream) {
    const raw = await readAnswer(call, response);
    const json = parseAnswer(raw) as GeminiResponse;
    const cutAtLimit = json.candidates?.some((c) => c.finishReason === "MAX_TOKENS") ?? false;
    if (json.usageMetadata)
      settleFromUsage(deps, ctx, tokenUsageOfGemini(json.usageMetadata), {
        status: 200,
        errorCode: null,
        cutAtLimit,
      });
    else {
      const text = (json.candidates?.[0]?.content?.parts ?? []).map((p) => p.text ?? "").join("");
      await settleFromEstimate(deps, ctx, promptEstimate, text, {
        status: 200,
        errorCode: null,
        cutAtLimit,
        produced: true,
      });
    }
    return {
      status: 200,
      headers: { ...headers, "content-type": "application/json; charset=UTF-8" },
      body: raw,
    };
  }

  const relay = relayEvents(
    response,
    new GeminiStreamMeter(call.cutAfterDeltas),
    request.signal,
    (outcome) => {
      const errorCode = outcome.error?.code ?? (outcome.status === 499 ? "client_closed" : null);
      const cutAtLimit = outcome.cut || outcome.hitLength;
      if (outcome.usage)
        settleFromUsage(deps, ctx, outcome.usage, {
          status: outcome.status,
          errorCode,
          cutAtLimit,
        });
      else
        deps.track(
          settleFromEstimate(deps, ctx, promptEstimate, outcome.completionText, {
            status: outcome.status,
            errorCode,
            cutAtLimit,
            produced: outcome.produced,
          }),
        );
    },
  );
  return sseResponse(headers, relay);
}
