/**
 * Exponential backoff with full jitter (AWS's "Exponential Backoff And Jitter"): a random
 * wait between 0 and min(cap, base·2^n), so retries of many requests spread out instead of
 * arriving together. PRODUCT.md: 0.5 s base, 8 s cap.
 */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8_000;

export function backoffMs(
  retry: number,
  random: () => number = Math.random,
  baseMs = BACKOFF_BASE_MS,
  capMs = BACKOFF_CAP_MS,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}
