import type { ProviderCall } from "../../providers/provider";
import type { GenerateContentBody } from "../../protocols/gemini/generate-content";
import { sseResponse } from "../../relay/sse-response";
import { relayEvents } from "../../relay/relay-loop";
import { settleAnswer, settleRelayed } from "../../pipeline/settle";
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
    const usage = json.usageMetadata ? tokenUsageOfGemini(json.usageMetadata) : null;
    const text = () =>
      (json.candidates?.[0]?.content?.parts ?? []).map((p) => p.text ?? "").join("");
    await settleAnswer(deps, ctx, usage, promptEstimate, text, {
      status: 200,
      errorCode: null,
      cutAtLimit,
    });
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
    (outcome) => settleRelayed(deps, ctx, outcome, outcome.usage, promptEstimate),
  );
  return sseResponse(headers, relay);
}
