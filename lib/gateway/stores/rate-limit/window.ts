/**
 * The rate-limit arithmetic shared by the Postgres and Redis stores: a sliding-window
 * estimate over one-minute windows. A plain fixed minute would let a client send a full
 * minute's allowance at 00:59 and another at 01:00 (twice the limit in two seconds); here
 * the previous minute's count still weighs in, by the share of it the last 60 seconds cover:
 *
 *   used(now) = previous × (1 − elapsed / 60 s) + current
 *
 * (the approximation Cloudflare and others use: exact when traffic is even, never more
 * than the limit over any 60 s when it is not).
 */
export const WINDOW_MS = 60_000;

export function windowStart(now: number): number {
  return Math.floor(now / WINDOW_MS) * WINDOW_MS;
}

/** The weight of the previous window at `now`. */
export function previousWeight(now: number): number {
  return 1 - (now - windowStart(now)) / WINDOW_MS;
}

export function slidingUsed(previous: number, current: number, now: number): number {
  return Math.floor(previous * previousWeight(now)) + current;
}

/** Until the current window ends: when a refused client should try again at the latest. */
export function msToWindowEnd(now: number): number {
  return windowStart(now) + WINDOW_MS - now;
}
