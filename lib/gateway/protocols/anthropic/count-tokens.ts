import { callUpstream, readJsonAnswer } from "../../call-upstream";
import type { GatewayDeps } from "../../deps";
import { finishRequest, nothingCharged } from "../../finish-request";
import { gatewayErrors } from "../../gateway-error";
import { isPromise } from "../../maybe-async";
import { anthropicHeaders, anthropicUrl } from "../../providers/anthropic/anthropic-upstream";
import { readBody } from "../../read-body";
import type { RequestContext } from "../../request-context";
import { countTokens } from "../../token-estimate";
import type { AnthropicMessagesRequest } from "../../translate/anthropic-types";
import type { GatewayRequest, GatewayResponse } from "../../types";
import { countTokensRequest, parseMessagesRequest } from "./messages-request";

/**
 * POST /v1/messages/count_tokens: asked of an `anthropic` model's server (its tokenizer is
 * the one that counts); for other models, counted here with gpt-tokenizer over the text the
 * request carries — an estimate, as no OpenAI-compatible server offers a count. Free, and
 * recorded like every request.
 */
export async function anthropicCountTokens(deps: GatewayDeps, request: GatewayRequest, ctx: RequestContext): Promise<GatewayResponse> {
  const body = parseMessagesRequest(await readBody(request, deps.config.maxBodyBytes), countTokensRequest);
  ctx.modelName = body.model;
  const found = deps.models.get(body.model);
  const model = isPromise(found) ? await found : found;
  if (!model || model.serves === "embedding") throw gatewayErrors.modelNotFound(body.model);
  ctx.model = model;
  const headers = { "content-type": "application/json", "x-request-id": ctx.requestId, "request-id": ctx.requestId };

  if (model.provider === "anthropic" && model.kind === "http") {
    const response = await callUpstream(deps, request, ctx, {
      url: anthropicUrl(model, "/messages/count_tokens", request.query ?? ""),
      headers: anthropicHeaders(request.headers, model, { requestId: ctx.requestId, stream: false }),
      body: JSON.stringify({ ...body, model: model.upstreamModel }),
    });
    const { raw } = await readJsonAnswer<{ input_tokens?: number }>(deps, request, response);
    finishRequest(deps, ctx, nothingCharged(200, null));
    return { status: 200, headers, body: raw };
  }

  const inputTokens = await countTokens(promptText(body));
  finishRequest(deps, ctx, nothingCharged(200, null));
  return { status: 200, headers, body: JSON.stringify({ input_tokens: inputTokens }) };
}

function promptText(body: AnthropicMessagesRequest): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === "string") parts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      const block = value as Record<string, unknown>;
      if (typeof block.text === "string") parts.push(block.text);
      if (typeof block.thinking === "string") parts.push(block.thinking);
      if (block.input !== undefined) parts.push(JSON.stringify(block.input));
      if (block.content !== undefined) walk(block.content);
    }
  };
  body.messages.forEach((message) => walk(message.content));
  walk(body.system);
  if (body.tools) parts.push(JSON.stringify(body.tools));
  return parts.join("\n");
}
