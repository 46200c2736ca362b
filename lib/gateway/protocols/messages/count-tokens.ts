import type { GatewayDeps } from "../../deps";
import { finishRequest, nothingCharged } from "../../pipeline/finish-request";
import { checkModelAllowed } from "../../pipeline/key-rules";
import { findModel } from "../../pipeline/find-model";
import { deploymentOf, providerFor, familyOf } from "../../providers/registry";
import { readBody } from "../../pipeline/read-body";
import type { RequestContext } from "../../request-context";
import { messagesPrompt } from "../../pipeline/request-prompt";
import { admitRequest } from "../../pipeline/admit";
import { isPromise } from "../../maybe-async";
import { preloadTokenizer } from "../../relay/token-estimate";
import type { GatewayRequest, GatewayResponse } from "../../types";
import { cachedCount, countKey } from "./count-cache";
import { countTokensRequest, parseMessagesRequest } from "./messages-request";

/**
 * POST /v1/messages/count_tokens: asked of the model's provider when it counts itself
 * (Anthropic: its tokenizer is the one that counts); for other models, counted here like
 * the reservation counts a prompt (pipeline/prompt-tally.ts) — an estimate, as no
 * OpenAI-compatible server offers a count. Free, and recorded like every request; admitted
 * like every request (requests per minute, concurrency: it costs the operator an upstream
 * call), and an identical count is answered from a cache (count-cache.ts).
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
  ctx.providerName = providerFor(model).telemetryName;
  // It uses no tokens of the key's minute: only its requests and concurrency count.
  const admitted = ctx.key ? admitRequest(deps, ctx, ctx.key, () => 0, 0) : undefined;
  if (isPromise(admitted)) await admitted;
  const headers = {
    "content-type": "application/json",
    "x-request-id": ctx.requestId,
    "request-id": ctx.requestId,
  };

  const provider = providerFor(model);
  if (provider.countTokens) {
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
    const countTokens = provider.countTokens.bind(provider);
    const raw = await cachedCount(
      countKey(model.id, call.deployment.upstreamModel, {
        body,
        query: request.query ?? null,
        beta: request.headers["anthropic-beta"] ?? null,
      }),
      () => countTokens(call, body),
    );
    finishRequest(deps, ctx, nothingCharged(200, null));
    return { status: 200, headers, body: raw };
  }

  await preloadTokenizer();
  const inputTokens = messagesPrompt(body, familyOf(model)).count;
  finishRequest(deps, ctx, nothingCharged(200, null));
  return { status: 200, headers, body: JSON.stringify({ input_tokens: inputTokens }) };
}
