import type { RateLimitStore } from "./types";

/**
 * A store made on first use: per-deployment limits are rare, and a store costs a timer (the
 * Postgres slices) or a Redis connection; a gateway whose deployments have no limits never
 * makes one, so it pays nothing for them (and shutdown has nothing more to wait for).
 */
export function lazyRateLimitStore(make: () => RateLimitStore): RateLimitStore {
  let store: RateLimitStore | null = null;
  const get = () => (store ??= make());
  return {
    admit: (subject, tokens, now) => get().admit(subject, tokens, now),
    settle: (ticket, tokens, now) => get().settle(ticket, tokens, now),
    peek: (subject, now) => get().peek(subject, now),
    drop: (id) => store?.drop(id),
    flush: async () => store?.flush(),
    close: async () => store?.close(),
  };
}
