/**
 * When a failed delivery is tried again: 30 s, 2 min, 10 min, 1 h, 6 h after each failure
 * (about 7 hours in all), then it is given up and shown as failed. A receiver that is down
 * for a deploy gets the event soon after; one that is gone does not get hammered.
 */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The delay after `attempts` failed attempts, or null when there is no attempt left. */
export function retryDelayMs(attempts: number): number | null {
  return attempts >= 1 && attempts <= RETRY_DELAYS_MS.length ? RETRY_DELAYS_MS[attempts - 1] : null;
}
