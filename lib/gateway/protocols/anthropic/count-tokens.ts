import type { GatewayDeps } from "../../deps";
import { finishRequest, nothingCharged } from "../../finish-request";
import { checkModelAllowed } from "../../key-rules";
import { findModel } from "../../pipeline/find-model";
import { callAnthropic } from "../../providers/anthropic/anthropic-provider";
import { parseAnswer, readAnswer } from "../../providers/openai-provider";
import { readBody } from "../../read-body";
import type { RequestContext } from "../../request-context";
import { countTokens } from "../../token-estimate";
import type { GatewayRequest, GatewayResponse } from "../../types";
import { countTokensRequest, parseMessagesRequest } from "./messages-request";
import { promptText } from "./prompt-estimate";

/**
 * POST /v1/messages/count_tokens: asked of an `anthropic` model's server (its tokenizer is
 * the one that counts); for other models, counted here with gpt-tokenizer over the text the
 * request carries — an estimate, as no OpenAI-compatible server offers a count. Free, and
 * recorded like every request.
 */
export async function anthropicCountTokens(
  deps: GatewayDeps,
  request: GatewayRequest,
  ctx: RequestContext,
): Promise<GatewayResponse> {
  const body = parseMessagesRequest(
    await readBody(request, deps.config.maxBodyBytes),
    countTokensRequest,
  );
  ctx.modelName = body.model;
  if (ctx.key) checkModelAllowed(ctx.key, body.model);
  const model = await findModel(deps, body.model, "chat", "/v1/messages/count_tokens");
  ctx.model = model;
  const headers = {
    "content-type": "application/json",
    "x-request-id": ctx.requestId,
    "request-id": ctx.requestId,
  };

  if (model.provider === "anthropic" && model.kind === "http") {
    const call = {
      deps,
      request,
      ctx,
      model,
      cap: { field: null, tokens: null },
      cutAfterDeltas: null,
      signal: request.signal,
    };
    const response = await callAnthropic(
      call,
      "/messages/count_tokens",
      { ...body, model: model.upstreamModel },
      { stream: false, query: request.query },
    );
    const raw = await readAnswer(call, response);
    parseAnswer(raw);
    finishRequest(deps, ctx, nothingCharged(200, null));
    return { status: 200, headers, body: raw };
  }

  const inputTokens = await countTokens(promptText(body));
  finishRequest(deps, ctx, nothingCharged(200, null));
  return { status: 200, headers, body: JSON.stringify({ input_tokens: inputTokens }) };
}
