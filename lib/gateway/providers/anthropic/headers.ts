import { upstreamHeaders } from "../forward-headers";
import type { Deployment } from "../provider";
import type { RequestTrace } from "../../tracing/trace-types";

/**
 * How the gateway calls an `anthropic` model: its credential as `x-api-key`, the client's
 * `anthropic-version` (or a default every Messages API version accepts), and the client's
 * other end-to-end headers — `anthropic-beta` above all — as they came. The client's own
 * key (x-api-key or Authorization) never leaves the gateway.
 */
export const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

export function anthropicHeaders(
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
  delete headers["x-api-key"];
  delete headers.authorization;
  headers["anthropic-version"] = incoming["anthropic-version"] || DEFAULT_ANTHROPIC_VERSION;
  if (deployment.apiKey) headers["x-api-key"] = deployment.apiKey;
  return headers;
}

/** A base URL is Anthropic's origin (`https://api.anthropic.com`); one ending in /v1 works too. */
export function anthropicUrl(
  deployment: Pick<Deployment, "baseUrl">,
  path: string,
  query = "",
): string {
  const base = deployment.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  return `${base}/v1${path}${query}`;
}
