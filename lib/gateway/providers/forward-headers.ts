import type { RequestTrace } from "../tracing/trace-types";

/**
 * Which of the caller's headers reach the upstream: an allowlist. The upstream request
 * carries the operator's credential, so anything else a caller sends could steer how that
 * credential is used or billed (OpenAI-Organization / OpenAI-Project pick the org and
 * project the operator's key bills), smuggle a second credential (api-key, x-api-key),
 * or speak to something listening behind the upstream (Metadata-Flavor, X-Real-IP,
 * cookies). What passes is what a chat completion needs: the client's User-Agent and the
 * protocol's own version/feature headers. The caller's Authorization is never forwarded:
 * the upstream gets the model's own credential, or none.
 *
 * Cost on the hot path: a handful of property lookups, no iteration over the caller's headers.
 */
const FORWARDED = [
  "user-agent",
  "openai-beta",
  "anthropic-version",
  "anthropic-beta",
  // W3C trace context: passed on as it came when tracing is off; replaced by the upstream
  // attempt's own span context when it is on (trace.inject).
  "traceparent",
  "tracestate",
] as const;

export function upstreamHeaders(
  incoming: Record<string, string | undefined>,
  options: {
    apiKey: string | null;
    requestId: string;
    stream: boolean;
    trace?: RequestTrace | null;
  },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = incoming[name];
    if (value !== undefined) out[name] = value;
  }
  // The gateway re-serialises the body as JSON.
  out["content-type"] = "application/json";
  // The relay parses the stream: it must arrive uncompressed.
  out["accept-encoding"] = "identity";
  out.accept = options.stream ? "text/event-stream" : "application/json";
  out["x-request-id"] = options.requestId;
  if (options.apiKey) out.authorization = `Bearer ${options.apiKey}`;
  options.trace?.inject(out);
  return out;
}
