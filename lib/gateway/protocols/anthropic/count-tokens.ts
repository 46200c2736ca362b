import type { GatewayDeps } from "../../deps";
import { finishRequest, nothingCharged } from "../../finish-request";
import { findModel } from "../../pipeline/find-model";
import { callAnthropic } from "../../providers/anthropic/anthropic-provider";
import { parseAnswer, readAnswer } from "../../providers/openai-provider";
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
  const model = await findModel(deps, body.model, "chat", "/v1/messages/count_tokens");
  ctx.model = model;
  const headers = { "content-type": "application/json", "x-request-id": ctx.requestId, "request-id": ctx.requestId };

  if (model.provider === "anthropic" && model.kind === "http") {
    const call = { deps, request, ctx, model, maxTokens: 0, cutAfterTokens: null };
    const response = await callAnthropic(call, "/messages/count_tokens", { ...body, model: model.upstreamModel }, { stream: false, query: request.query });
    const raw = await readAnswer(call, response);
    parseAnswer(raw);
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
