import type { GatewayDeps } from "../../deps";
import { gatewayErrors } from "../../gateway-error";
import { modelAllowed } from "../../pipeline/key-rules";
import type { KeyRecord, ResolvedModel } from "../../types";
import type { GeminiModel } from "../../translate/gemini/gemini-types";

/**
 * `GET /{version}/models` and `/{version}/models/{model}` in Google's shape: only the
 * enabled models this key may use, each with the methods it answers here. Another key's
 * model, or one that does not exist, is the same 404.
 */
type ListedModel = Pick<ResolvedModel, "name" | "serves" | "maxOutputTokens">;

function describe(model: ListedModel): GeminiModel & { supportedGenerationMethods: string[] } {
  return {
    name: `models/${model.name}`,
    displayName: model.name,
    ...(model.maxOutputTokens ? { outputTokenLimit: model.maxOutputTokens } : {}),
    supportedGenerationMethods:
      model.serves === "embedding"
        ? ["embedContent", "batchEmbedContents"]
        : ["generateContent", "streamGenerateContent", "countTokens"],
  };
}

export async function geminiModelsResponse(deps: GatewayDeps, key: KeyRecord): Promise<string> {
  const models = (await deps.models.listEnabled()).filter((model) => modelAllowed(key, model.name));
  return JSON.stringify({ models: models.map((model) => describe(model as ListedModel)) });
}

export async function geminiModelResponse(
  deps: GatewayDeps,
  key: KeyRecord,
  name: string,
): Promise<string> {
  const wanted = name.replace(/^models\//, "");
  const model = (await deps.models.listEnabled()).find(
    (candidate) => candidate.name === wanted && modelAllowed(key, candidate.name),
  );
  if (!model) throw gatewayErrors.modelNotFound(wanted);
  return JSON.stringify(describe(model as ListedModel));
}
