import type { ConnectionProbe, Deployment } from "../provider";

/**
 * "Test connection" on an OpenAI-compatible server: `GET <base>/models` with a Bearer token —
 * every such server serves it, it costs no tokens and needs the same credential as a chat.
 */
export function openaiProbe(target: Pick<Deployment, "baseUrl" | "apiKey">): ConnectionProbe {
  const headers: Record<string, string> = { accept: "application/json" };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return { url: `${target.baseUrl.replace(/\/+$/, "")}/models`, headers };
}
