import type { GatewayDeps } from "../../deps";
import { finishRequest, nothingCharged } from "../../pipeline/finish-request";
import { checkModelAllowed } from "../../pipeline/key-rules";
import { findModel } from "../../pipeline/find-model";
import { parseAnswer, readAnswer } from "../../providers/answer";
import { callGemini } from "../../providers/gemini/gemini-upstream";
import { deploymentOf, providerFor } from "../../providers/registry";
import { readBody } from "../../pipeline/read-body";
import type { RequestContext } from "../../request-context";
import { countTokens } from "../../relay/token-estimate";
import type { GeminiRequest } from "../../translate/gemini/gemini-types";
import type { GatewayRequest, GatewayResponse } from "../../types";
import { parseJsonBody } from "../parse-json-body";
import { geminiPromptText } from "./gemini-prompt";
import { countTokensRequest } from "./gemini-request";

/**
 * `:countTokens` (Gemini CLI asks it before compressing its history): asked of a `gemini`
 * model's server (its tokenizer counts); for other models, counted here with gpt-tokenizer
 * over every part the request carries — an estimate, as no OpenAI-compatible server offers a
 * count. Free, and recorded like every request; the key's access to the model still holds.
 */
export async function geminiCountTokens(
  deps: GatewayDeps,
  request: GatewayRequest,
  ctx: RequestContext,
  modelName: string,
): Promise<GatewayResponse> {
  const body = parseJsonBody(await readBody(request, deps.config.maxBodyBytes), countTokensRequest);
  ctx.modelName = modelName;
  if (ctx.key) checkModelAllowed(ctx.key, modelName);
  const model = await findModel(deps, modelName, "chat", `models/${modelName}:countTokens`);
  ctx.model = model;
  ctx.providerName = providerFor(model).telemetryName;
  const headers = {
    "content-type": "application/json; charset=UTF-8",
    "x-request-id": ctx.requestId,
  };

  if (providerFor(model).servesNatively("gemini", model)) {
    const call = {
      deps,
      request,
      ctx,
      model,
      deployment: deploymentOf(model),
      cap: { field: null, tokens: null },
      cutAfterDeltas: null,
      signal: request.signal,
    };
    const upstreamBody = body.generateContentRequest
      ? {
          generateContentRequest: {
            ...body.generateContentRequest,
            model: `models/${call.deployment.upstreamModel}`,
          },
        }
      : body;
    const raw = await readAnswer(call, await callGemini(call, "countTokens", upstreamBody));
    parseAnswer(raw);
    finishRequest(deps, ctx, nothingCharged(200, null));
    return { status: 200, headers, body: raw };
  }

  const source = (body.generateContentRequest ?? body) as Partial<GeminiRequest>;
  const totalTokens = await countTokens(
    geminiPromptText({
      contents: source.contents ?? [],
      systemInstruction: source.systemInstruction,
      tools: source.tools,
    }),
  );
  finishRequest(deps, ctx, nothingCharged(200, null));
  return { status: 200, headers, body: JSON.stringify({ totalTokens }) };
}
