import type { GatewayDeps } from "../../deps";
import { modelAllowed } from "../../pipeline/key-rules";
import type { KeyRecord } from "../../types";

/** GET /v1/models in Anthropic's shape, for clients that send `anthropic-version`. */
export async function anthropicModelsResponse(deps: GatewayDeps, key: KeyRecord): Promise<string> {
  const models = (await deps.models.listEnabled()).filter(
    (model) => model.serves !== "embedding" && modelAllowed(key, model.name),
  );
  return JSON.stringify({
    data: models.map((model) => ({
      type: "model",
      id: model.name,
      display_name: model.name,
      created_at: model.createdAt.toISOString(),
    })),
    has_more: false,
    first_id: models[0]?.name ?? null,
    last_id: models.at(-1)?.name ?? null,
  });
}
