/**
 * Which of the caller's headers reach the upstream. End-to-end headers pass (SDK metadata,
 * custom headers a model server may use); hop-by-hop ones (RFC 9110 §7.6.1) and those the
 * gateway owns do not. The caller's Authorization (or x-api-key) is never forwarded: the upstream gets the
 * model's own credential, or none.
 */
const DROPPED = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "authorization",
  // Anthropic's clients send their key here: it is the gateway's key, never the upstream's.
  "x-api-key",
  "cookie",
  "content-length",
  "content-type",
  "accept-encoding",
  "expect",
  "x-request-id",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "forwarded",
]);

export function upstreamHeaders(
  incoming: Record<string, string | undefined>,
  options: { apiKey: string | null; requestId: string; stream: boolean },
): Record<string, string> {
  const named = (incoming.connection ?? "")
    .split(",")
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || DROPPED.has(name) || named.includes(name)) continue;
    // Internal headers set by our own server (client IP) stay inside.
    if (name.startsWith("x-modelbridge-")) continue;
    out[name] = value;
  }
  out["content-type"] = "application/json";
  // The relay parses the stream: it must arrive uncompressed.
  out["accept-encoding"] = "identity";
  out.accept = options.stream ? "text/event-stream" : "application/json";
  out["x-request-id"] = options.requestId;
  if (options.apiKey) out.authorization = `Bearer ${options.apiKey}`;
  return out;
}
