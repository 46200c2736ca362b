import { sanitizeUpstreamMessage } from "./upstream-message";

/**
 * An upstream's own error event in the middle of a stream, as the client may see it. Like
 * an upstream 4xx before the stream (upstream-error.ts), the client keeps the status-like
 * fields (type, code, param, status) and the gist of the message; what the upstream put in
 * it about itself does not pass (its credential, base URL and host verbatim, authorization
 * values, keys, URLs, addresses, paths: upstream-message.ts), nor any other member (a
 * stack, `details`, debug metadata). PRODUCT.md "Upstream errors".
 */
export function cleanUpstreamError(
  error: unknown,
  secrets: readonly string[],
): Record<string, unknown> {
  const source = error && typeof error === "object" ? (error as Record<string, unknown>) : {};
  const clean: Record<string, unknown> = {
    message: sanitizeUpstreamMessage(
      typeof source.message === "string"
        ? source.message
        : typeof error === "string"
          ? error
          : "The model server reported an error.",
      secrets,
    ),
  };
  for (const field of ["type", "code", "param", "status"] as const) {
    const value = source[field];
    if (typeof value === "string")
      clean[field] = sanitizeUpstreamMessage(value, secrets).slice(0, 100);
    else if (typeof value === "number" || value === null) clean[field] = value;
  }
  return clean;
}

/** An SSE event with this JSON as its data, named like the event it replaces. */
export function sseEvent(name: string | undefined, payload: unknown, end = "\n\n"): string {
  return `${name ? `event: ${name}\n` : ""}data: ${JSON.stringify(payload)}${end}`;
}
