/**
 * How long an upstream asked us to wait, in ms: `retry-after-ms` (OpenAI's, Azure's) wins
 * over `retry-after`, which is seconds or an HTTP date. Null when absent or unreadable;
 * never negative.
 */
export function parseRetryAfter(
  retryAfter: string | null | undefined,
  retryAfterMs: string | null | undefined,
  now: number = Date.now(),
): number | null {
  if (retryAfterMs != null && retryAfterMs.trim() !== "") {
    const ms = Number(retryAfterMs.trim());
    if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  }
  if (retryAfter == null) return null;
  const text = retryAfter.trim();
  if (text === "") return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
