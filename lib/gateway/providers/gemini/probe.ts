import type { ConnectionProbe, Deployment } from "../provider";
import { geminiOrigin } from "./gemini-upstream";

/**
 * "Test connection" on Gemini: `GET <origin>/v1beta/models` with `x-goog-api-key`; it costs
 * no tokens and needs the same credential as generateContent.
 */
export function geminiProbe(target: Pick<Deployment, "baseUrl" | "apiKey">): ConnectionProbe {
  const headers: Record<string, string> = { accept: "application/json" };
  if (target.apiKey) headers["x-goog-api-key"] = target.apiKey;
  return { url: `${geminiOrigin(target.baseUrl)}/v1beta/models`, headers };
}
