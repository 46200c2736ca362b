/**
 * The providers an operator can put a model on: the one list the database column, the zod
 * schema, the gateway's resolved model and the admin form's options are derived from. Each
 * id has one implementation in lib/gateway/providers/<id>/ (the registry there is typed by
 * this list, so adding an id here without a folder does not compile). The built-in demo
 * model is not on this list: it is not something an operator chooses.
 */
export const PROVIDERS = {
  openai: {
    label: "OpenAI-compatible (vLLM, TGI, Ollama, NIM, OpenAI)",
    short: "OpenAI-compatible",
  },
  anthropic: { label: "Anthropic Messages", short: "Anthropic" },
  gemini: { label: "Google Gemini API", short: "Gemini" },
} as const satisfies Record<string, { label: string; short: string }>;

export type ProviderId = keyof typeof PROVIDERS;

export const PROVIDER_IDS = Object.keys(PROVIDERS) as [ProviderId, ...ProviderId[]];

export const DEFAULT_PROVIDER: ProviderId = "openai";

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === "string" && Object.hasOwn(PROVIDERS, value);
}
