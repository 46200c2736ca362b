import { providerFor } from "../../providers/registry";
import type { GatewayDeps } from "../../deps";
import { gatewayErrors } from "../../gateway-error";
import { modelAllowed } from "../../pipeline/key-rules";
import { endpointsServed } from "./list-models";
import type { KeyRecord } from "../../types";

/**
 * `GET /v1/models/{id}` (OpenAI's and Anthropic's retrieve-model): one entry of the model
 * list, in the shape the client asked for (Anthropic's when it sends anthropic-version).
 * A model this key may not use is the same 404 as one that does not exist.
 */
export async function modelRetrieveResponse(
  deps: GatewayDeps,
  key: KeyRecord,
  id: string,
  anthropic: boolean,
): Promise<string> {
  const model = (await deps.models.listEnabled()).find(
    (candidate) => candidate.name === id && modelAllowed(key, candidate.name),
  );
  if (!model || (anthropic && model.serves === "embedding")) throw gatewayErrors.modelNotFound(id);
  if (anthropic)
    return JSON.stringify({
      type: "model",
      id: model.name,
      display_name: model.name,
      created_at: model.createdAt.toISOString(),
    });
  return JSON.stringify({
    id: model.name,
    object: "model",
    created: Math.floor(model.createdAt.getTime() / 1000),
    owned_by: providerFor(model).ownedBy,
    kind: model.serves,
    endpoints: endpointsServed(model),
  });
}
