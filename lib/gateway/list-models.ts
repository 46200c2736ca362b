import type { GatewayDeps } from "./deps";

/** GET /v1/models in OpenAI's list format: every enabled model (keys are not model-scoped yet). */
export async function listModelsResponse(deps: GatewayDeps): Promise<string> {
  const models = await deps.models.listEnabled();
  return JSON.stringify({
    object: "list",
    data: models.map((model) => ({
      id: model.name,
      object: "model",
      created: Math.floor(model.createdAt.getTime() / 1000),
      owned_by: model.kind === "builtin-echo" ? "modelbridge" : "organization",
    })),
  });
}
