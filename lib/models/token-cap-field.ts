import type { TokenCapField } from "@/db/schema/models";

/**
 * The field a token cap the gateway adds goes in, when the model does not say. Every
 * OpenAI-compatible server (vLLM, TGI, Ollama…) reads `max_tokens`; OpenAI's own reasoning
 * models refuse it and want `max_completion_tokens`, so such a model is registered with it.
 */
export function defaultTokenCapField(): TokenCapField {
  return "max_tokens";
}
