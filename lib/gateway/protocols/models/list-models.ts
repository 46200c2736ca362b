import type { GatewayDeps } from "../../deps";
import { providerFor } from "../../providers/registry";
import { modelAllowed } from "../../pipeline/key-rules";
import type { KeyRecord, ResolvedModel } from "../../types";

/** The `/v1` endpoints a model answers: embeddings, or what its provider serves for chat. */
export function endpointsServed(
  model: Pick<ResolvedModel, "serves" | "kind" | "provider">,
): string[] {
  if (model.serves === "embedding") return ["/v1/embeddings"];
  return providerFor(model).chatEndpoints();
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
      owned_by: providerFor(model).ownedBy,
      kind: model.serves,
      endpoints: endpointsServed(model),
    })),
  });
}
