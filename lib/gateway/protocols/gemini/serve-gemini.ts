import type { GatewayDeps } from "../../deps";
import { finishRequest, nothingCharged } from "../../pipeline/finish-request";
import { gatewayErrors } from "../../gateway-error";
import type { ParsedRequest, Protocol } from "../../pipeline/protocol";
import { runPipeline } from "../../pipeline/run-pipeline";
import type { RequestContext } from "../../request-context";
import type { GatewayRequest, GatewayResponse, KeyRecord } from "../../types";
import { geminiCountTokens } from "./count-tokens";
import { embedContentProtocol } from "./embed-content";
import { geminiModelResponse, geminiModelsResponse } from "./gemini-models";
import type { GeminiRoute } from "./gemini-route";
import { generateContentProtocol } from "./generate-content";

/**
 * One authenticated Gemini request, by its method (gemini-route.ts). Everything that costs
 * goes through the one pipeline, as every `/v1` endpoint does; errors are thrown as the
 * gateway's and written in Google's envelope by the entry.
 */
export function geminiEndpoint(route: GeminiRoute): string {
  return route.method ? `gemini.${route.method}` : route.model ? "gemini.model" : "gemini.models";
}

export async function serveGemini(
  deps: GatewayDeps,
  request: GatewayRequest,
  ctx: RequestContext,
  key: KeyRecord,
  route: GeminiRoute,
): Promise<GatewayResponse> {
  const json = (body: string): GatewayResponse => {
    finishRequest(deps, ctx, nothingCharged(200, null));
    return {
      status: 200,
      headers: { "content-type": "application/json; charset=UTF-8", "x-request-id": ctx.requestId },
      body,
    };
  };
  if (route.method === null) {
    if (request.method !== "GET") throw gatewayErrors.methodNotAllowed(request.method);
    return json(
      route.model
        ? await geminiModelResponse(deps, key, route.model)
        : await geminiModelsResponse(deps, key),
    );
  }
  if (request.method !== "POST") throw gatewayErrors.methodNotAllowed(request.method);
  const model = route.model!;
  const run = <Body extends ParsedRequest>(protocol: Protocol<Body>) =>
    runPipeline(deps, request, ctx, key, protocol as unknown as Protocol<ParsedRequest>);
  switch (route.method) {
    case "generateContent":
      return run(generateContentProtocol(model, false));
    case "streamGenerateContent":
      // Without alt=sse Google streams one JSON array; every current client asks for SSE.
      if (!/[?&]alt=sse(&|$)/.test(request.query ?? ""))
        throw gatewayErrors.invalidRequest(
          "streamGenerateContent is served as server-sent events: add ?alt=sse.",
          "alt",
        );
      return run(generateContentProtocol(model, true));
    case "countTokens":
      return geminiCountTokens(deps, request, ctx, model);
    case "embedContent":
      return run(embedContentProtocol(model, false));
    case "batchEmbedContents":
      return run(embedContentProtocol(model, true));
    default:
      throw gatewayErrors.notFound(`models/${model}:${route.method}`);
  }
}
