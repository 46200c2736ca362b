import type { Deployment, ProviderCall } from "../provider";
import { upstreamHeaders } from "../forward-headers";
import type { UpstreamResponse } from "../../relay/upstream-client";
import { sendUpstream } from "../send-upstream";
import type { RequestTrace } from "../../tracing/trace-types";
import { shareHolderOf } from "../../relay/connection-share";

/**
 * The `gemini` provider: Google's Gemini API (`https://generativelanguage.googleapis.com`,
 * or any server speaking it) at `<base_url>/v1beta/models/<upstream model>:<method>`, with
 * the model's credential as `x-goog-api-key`. The client's own key — header, Bearer or
 * `?key=` — never leaves the gateway. v1beta is asked whatever version the client used:
 * it is the version every Gemini feature (tools, thinking, JSON schema) is served under.
 */
export type GeminiUpstreamMethod =
  | "generateContent"
  | "streamGenerateContent"
  | "countTokens"
  | "embedContent"
  | "batchEmbedContents";

/** A base URL is Google's origin; one ending in /v1beta (or /v1, /v1alpha) works too. */
export function geminiOrigin(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/(v1beta|v1alpha|v1)$/, "");
}

export function geminiUrl(deployment: Deployment, method: GeminiUpstreamMethod): string {
  const query = method === "streamGenerateContent" ? "?alt=sse" : "";
  return `${geminiOrigin(deployment.baseUrl)}/v1beta/models/${deployment.upstreamModel}:${method}${query}`;
}

export function geminiHeaders(
  incoming: Record<string, string | undefined>,
  deployment: Pick<Deployment, "apiKey">,
  options: { requestId: string; stream: boolean; trace?: RequestTrace | null },
): Record<string, string> {
  const headers = upstreamHeaders(incoming, {
    apiKey: null,
    requestId: options.requestId,
    stream: options.stream,
    trace: options.trace,
  });
  delete headers["x-goog-api-key"];
  delete headers["x-api-key"];
  delete headers.authorization;
  if (deployment.apiKey) headers["x-goog-api-key"] = deployment.apiKey;
  return headers;
}

export async function callGemini(
  call: ProviderCall,
  method: GeminiUpstreamMethod,
  body: Record<string, unknown>,
): Promise<UpstreamResponse> {
  const { deps, request, ctx, deployment } = call;
  const stream = method === "streamGenerateContent";
  return sendUpstream(call, () =>
    deps.upstream.send({
      url: geminiUrl(deployment, method),
      headers: geminiHeaders(request.headers, deployment, {
        requestId: ctx.requestId,
        stream,
        trace: ctx.trace,
      }),
      body: JSON.stringify(body),
      signal: call.signal,
      holder: shareHolderOf(ctx.key),
      connectTimeoutMs: deployment.connectTimeoutMs,
      firstByteTimeoutMs: deployment.firstByteTimeoutMs,
      idleTimeoutMs: deployment.idleTimeoutMs,
    }),
  );
}
