/**
 * Reading what reverse proxies add to a request (X-Forwarded-For/-Host/-Proto). Each proxy
 * appends to these lists, so only the entries written by proxies we run can be believed:
 * a client can send any of these headers itself, and whatever it sent stays at the left.
 * TRUST_PROXY is the number of proxies in front of this server; the value we want is the
 * one written by the outermost of them, `hops` entries from the right. With TRUST_PROXY=0
 * nothing forwarded is believed.
 */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  // node:http joins repeated X-Forwarded-* headers with ", "; an array is joined the same way.
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The entry `hops` from the right of a comma-separated forwarded list, or undefined. */
export function forwardedEntry(
  headers: HeaderSource,
  name: string,
  hops: number,
): string | undefined {
  if (hops <= 0) return undefined;
  const raw = headerValue(headers, name);
  if (!raw) return undefined;
  const entries = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return undefined;
  // Fewer entries than proxies: the leftmost was written by the outermost proxy that saw one.
  return entries[Math.max(0, entries.length - hops)].slice(0, 255);
}
