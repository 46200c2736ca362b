import { ApiError } from "@/lib/errors/api-error";
import type { GatewayDeps } from "../deps";
import { gatewayErrors } from "../gateway-error";
import { isPromise, type MaybePromise } from "../maybe-async";
import type { ResolvedModel } from "../types";

const ENDPOINTS: Record<ResolvedModel["serves"], string> = {
  chat: "/v1/chat/completions, /v1/responses, /v1/completions and /v1/messages",
  embedding: "/v1/embeddings",
};

/**
 * The enabled model by its public name, if it serves this endpoint's kind. A chat model
 * asked for embeddings (or the reverse) is a 404 model_not_found, as OpenAI answers, with a
 * message that says where the model can be used. A plain value when the registry has the
 * model cached (nearly always): no promise on the hot path.
 */
export function findModel(
  deps: GatewayDeps,
  name: string,
  serves: ResolvedModel["serves"],
  path: string,
): MaybePromise<ResolvedModel> {
  const found = deps.models.get(name);
  return isPromise(found)
    ? found.then((model) => check(model, name, serves, path))
    : check(found, name, serves, path);
}

function check(
  model: ResolvedModel | null,
  name: string,
  serves: ResolvedModel["serves"],
  path: string,
): ResolvedModel {
  if (!model) throw gatewayErrors.modelNotFound(name);
  if (model.serves !== serves) {
    const kind = model.serves === "embedding" ? "an embedding model" : "a chat model";
    throw new ApiError(
      404,
      "model_not_found",
      `The model '${name}' is ${kind}: it serves ${ENDPOINTS[model.serves]}, not ${path}.`,
      "model",
    );
  }
  return model;
}
