import type { Db } from "@/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors/api-error";
import { compileAllowlist, ipAllowed } from "@/lib/keys/ip-allowlist";
import { leaseRateLimitStore } from "@/lib/gateway/stores/rate-limit/lease-store";
import { redisRateLimitStore } from "@/lib/gateway/stores/rate-limit/redis-store";
import type { RateLimitStore, RateTicket } from "@/lib/gateway/stores/rate-limit/types";
import type { KeyRecord } from "@/lib/gateway/types";
import type { Actor } from "@/lib/core/actor";

/**
 * A Management key's IP allowlist and rate limits, on /api/v1 as on /v1 (issue 27 item 3:
 * they were stored and shown, never enforced). Counted by the same stores as /v1 (Redis
 * when REDIS_URL is set, else leased slices in Postgres), so they hold across processes.
 * A management call has no tokens: `tokens_per_minute` does not apply to it.
 */
export interface ManagementKeyControls {
  id: string;
  createdBy: string;
  ipAllowlist: string[] | null;
  requestsPerMinute: number | null;
  maxConcurrent: number | null;
}

export function checkManagementKeyAddress(key: ManagementKeyControls, clientIp: string): void {
  if (key.ipAllowlist && !ipAllowed(compileAllowlist(key.ipAllowlist), clientIp)) {
    throw new ApiError(
      403,
      "ip_not_allowed",
      "This API key cannot be used from your IP address; its owner can change its IP allowlist.",
    );
  }
}

/** One store per database (tests open several in one process). */
const stores = new WeakMap<Db, RateLimitStore>();

function storeFor(db: Db): RateLimitStore {
  let store = stores.get(db);
  if (!store) {
    const url = env().REDIS_URL;
    store = url
      ? redisRateLimitStore(url, { prefix: "mb:rl:mgmt:" })
      : leaseRateLimitStore(db, { intervalMs: 1_000 });
    stores.set(db, store);
  }
  return store;
}

/** The ticket a request holds until its route returns: given back by releaseManagementKey. */
const tickets = new WeakMap<Actor, { store: RateLimitStore; ticket: RateTicket }>();

export async function admitManagementKey(
  db: Db,
  key: ManagementKeyControls,
  actor: Actor,
): Promise<void> {
  if (key.requestsPerMinute === null && key.maxConcurrent === null) return;
  const store = storeFor(db);
  const record = {
    id: key.id,
    rateLimits: {
      requestsPerMinute: key.requestsPerMinute,
      tokensPerMinute: null,
      maxConcurrent: key.maxConcurrent,
    },
  } as KeyRecord;
  const decision = await store.admit(record, 0, Date.now());
  if (!decision.allowed) {
    throw Object.assign(
      new ApiError(
        429,
        "rate_limit_exceeded",
        decision.reason === "concurrency"
          ? "This Management key has as many requests in progress as its concurrency limit allows; retry when one ends."
          : "This Management key's requests-per-minute limit is reached; retry after the time in retry-after.",
        null,
        "rate_limit_error",
      ),
      { retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) },
    );
  }
  tickets.set(actor, { store, ticket: decision.ticket });
}

/** The route is done: its concurrency slot goes back. Safe to call for any actor. */
export function releaseManagementKey(actor: Actor | null): void {
  if (!actor) return;
  const held = tickets.get(actor);
  if (!held) return;
  tickets.delete(actor);
  held.store.settle(held.ticket, 0, Date.now());
}
