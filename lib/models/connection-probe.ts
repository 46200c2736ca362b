/**
 * The request that checks a model's upstream answers with its credential, in its
 * provider's terms: the model list, which every provider serves, costs no tokens and needs
 * the same credential as a real request. OpenAI-compatible servers: `GET <base>/models`
 * with a Bearer token. Anthropic: `GET <origin>/v1/models` with `x-api-key` and
 * `anthropic-version` (a Bearer token or no version header is refused there).
 */
export interface ConnectionProbe {
  url: string;
  headers: Record<string, string>;
}

export function connectionProbe(model: {
  provider: "openai" | "anthropic";
  baseUrl: string;
  apiKey: string | null;
}): ConnectionProbe {
  const base = model.baseUrl.replace(/\/+$/, "");
  const headers: Record<string, string> = { accept: "application/json" };
  if (model.provider === "anthropic") {
    headers["anthropic-version"] = "2023-06-01";
    if (model.apiKey) headers["x-api-key"] = model.apiKey;
    return { url: `${base.replace(/\/v1$/, "")}/v1/models`, headers };
  }
  if (model.apiKey) headers.authorization = `Bearer ${model.apiKey}`;
  return { url: `${base}/models`, headers };
}
