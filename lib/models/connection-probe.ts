import type { ProviderId } from "@/lib/core/providers";
import type { ConnectionProbe } from "@/lib/gateway/providers/provider";
import { providerFor } from "@/lib/gateway/providers/registry";

export type { ConnectionProbe };

/**
 * The request that checks a model's upstream answers with its credential, in its
 * provider's terms (each provider's probe.ts): the model list, which every provider
 * serves, costs no tokens and needs the same credential as a real request.
 */
export function connectionProbe(model: {
  provider: ProviderId;
  baseUrl: string;
  apiKey: string | null;
}): ConnectionProbe {
  const probe = providerFor({ kind: "http", provider: model.provider }).probe(model);
  if (!probe) throw new Error(`The ${model.provider} provider has no connection probe.`);
  return probe;
}
