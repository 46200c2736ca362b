import type { GatewayDeps } from "./deps";
import { modelAllowed } from "./key-rules";
import type { KeyRecord, ResolvedModel } from "./types";

/** The `/v1` endpoints a model answers, by what it serves. */
export function endpointsServed(
  model: Pick<ResolvedModel, "serves" | "kind" | "provider">,
): string[] {
  if (model.serves === "embedding") return ["/v1/embeddings"];
  // The built-in echo model speaks chat only: Responses and Messages are translated onto it; legacy completions are not.
  if (model.kind === "builtin-echo")
    return ["/v1/chat/completions", "/v1/responses", "/v1/messages"];
  // Anthropic's Messages API has no legacy completions.
  if (model.provider === "anthropic")
    return ["/v1/chat/completions", "/v1/responses", "/v1/messages"];
  return ["/v1/chat/completions", "/v1/responses", "/v1/completions", "/v1/messages"];
}

/**
 * GET /v1/models in OpenAI's list format: every enabled model the key may use, once, with
 * what it is and the endpoints it answers, as extra fields that OpenAI's clients ignore and
 * people reading the list do not.
 */
export async function listModelsResponse(deps: GatewayDeps, key: KeyRecord): Promise<string> {
  const models = (await deps.models.listEnabled()).filter((model) => modelAllowed(key, model.name));
  return JSON.stringify({
    object: "list",
    data: models.map((model) => ({
      id: model.name,
      object: "model",
      created: Math.floor(model.createdAt.getTime() / 1000),
      owned_by: model.kind === "builtin-echo" ? "modelbridge" : "organization",
      kind: model.serves,
      endpoints: endpointsServed(model),
    })),
  });
}
