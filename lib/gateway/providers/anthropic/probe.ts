import type { ConnectionProbe, Deployment } from "../provider";
import { DEFAULT_ANTHROPIC_VERSION, anthropicUrl } from "./headers";

/**
 * "Test connection" on Anthropic: `GET <origin>/v1/models` with `x-api-key` and
 * `anthropic-version` (a Bearer token or no version header is refused there); it costs no
 * tokens and needs the same credential as a message.
 */
export function anthropicProbe(target: Pick<Deployment, "baseUrl" | "apiKey">): ConnectionProbe {
  const headers: Record<string, string> = {
    accept: "application/json",
    "anthropic-version": DEFAULT_ANTHROPIC_VERSION,
  };
  if (target.apiKey) headers["x-api-key"] = target.apiKey;
  return { url: anthropicUrl(target, "/models"), headers };
}
