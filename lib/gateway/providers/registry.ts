import type { ProviderId } from "@/lib/core/providers";
import type { TokenFamily } from "../relay/token-estimate";
import type { ResolvedModel } from "../types";
import { anthropicProvider } from "./anthropic";
import { echoProvider } from "./echo";
import { geminiProvider } from "./gemini";
import { openaiProvider } from "./openai";
import type { Deployment, Provider } from "./provider";

/**
 * Every provider an operator can choose, by id: typed by lib/core/providers.ts, so a new
 * id there does not compile until its folder is registered here. The built-in demo model
 * has its own provider, chosen by the model's kind rather than by an operator.
 */
const PROVIDERS: Record<ProviderId, Provider> = {
  openai: openaiProvider,
  anthropic: anthropicProvider,
  gemini: geminiProvider,
};

/** The one place a model's provider is decided. */
export function providerFor(model: Pick<ResolvedModel, "kind" | "provider">): Provider {
  return model.kind === "builtin-echo" ? echoProvider : PROVIDERS[model.provider];
}

/** Whose tokenizer counts the prompt of a request to this model. */
export const familyOf = (model: Pick<ResolvedModel, "kind" | "provider">): TokenFamily =>
  providerFor(model).tokenFamily;

/** Where a model's requests go: today one deployment per model, taken from its row. */
export function deploymentOf(model: ResolvedModel): Deployment {
  return {
    provider: model.kind === "builtin-echo" ? "echo" : model.provider,
    baseUrl: model.baseUrl,
    apiKey: model.apiKey,
    upstreamModel: model.upstreamModel,
    connectTimeoutMs: model.connectTimeoutMs,
    firstByteTimeoutMs: model.firstByteTimeoutMs,
    idleTimeoutMs: model.idleTimeoutMs,
  };
}
