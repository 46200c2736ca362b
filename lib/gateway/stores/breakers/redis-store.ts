import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import {
  availability,
  claimProbe,
  CLOSED,
  needsReset,
  onFailure,
  type BreakerState,
} from "@/lib/models/breaker-rules";
import type { BreakerStore, BreakerTransition } from "./types";
import { REDIS_COMMAND_TIMEOUT_MS } from "../rate-limit/redis-store";

const REFRESH_MS = 15_000;
/** A breaker nobody touched for a day is forgotten (it was closed long before). */
const STATE_TTL_S = 86_400;

/**
 * Breakers in Redis (REDIS_URL): one JSON value per deployment, changed with WATCH/MULTI
 * (optimistic: a concurrent change makes EXEC fail and the change is applied again on the
 * new value), so that the rules stay in lib/models/breaker-rules.ts rather than in a second copy in
 * Lua. Changes are published on a channel; every process re-reads the one key.
 */
export async function redisBreakerStore(
  url: string,
  options: {
    onTransition?: BreakerTransition;
    onError?: (error: unknown) => void;
    prefix?: string;
  } = {},
): Promise<BreakerStore> {
  const prefix = options.prefix ?? "mb:br:";
  const channel = `${prefix}changed`;
  const onError = options.onError ?? (() => undefined);
  // A hung Redis (the socket open, nothing answering) must fail a command in a second, as the
  // rate-limit store's does, rather than hold a request or the shutdown forever.
  const connection = {
    maxRetriesPerRequest: 2,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
  };
  const redis = new Redis(url, connection);
  const subscriber = new Redis(url, connection);
  redis.on("error", onError);
  subscriber.on("error", onError);
  const holder = randomUUID();
  const cache = new Map<string, BreakerState>();

  const put = (id: string, state: BreakerState | null) => {
    if (state && (state.failures > 0 || state.openUntil !== null || state.unhealthy))
      cache.set(id, state);
    else cache.delete(id);
  };
  const parse = (raw: string | null): BreakerState | null =>
    raw ? ({ ...CLOSED, ...(JSON.parse(raw) as Partial<BreakerState>) } as BreakerState) : null;
  const reload = async (id: string) => put(id, parse(await redis.get(prefix + id)));

  const update = async (
    id: string,
    change: (prev: BreakerState) => BreakerState | null,
  ): Promise<boolean> => {
    const key = prefix + id;
    for (let tries = 0; tries < 20; tries++) {
      await redis.watch(key);
      const prev = parse(await redis.get(key)) ?? CLOSED;
      const next = change(prev);
      if (!next) {
        await redis.unwatch();
        put(id, prev);
        return false;
      }
      const done = await redis
        .multi()
        .set(key, JSON.stringify(next), "EX", STATE_TTL_S)
        .publish(channel, id)
        .exec();
      if (!done) continue; // someone else changed it first: apply the rules to theirs
      put(id, next);
      const wasOpen = prev.openUntil !== null;
      const isOpen = next.openUntil !== null;
      if (!wasOpen && isOpen) options.onTransition?.(id, "opened", next);
      if (wasOpen && !isOpen) options.onTransition?.(id, "closed", next);
      return true;
    }
    throw new Error("breaker update kept conflicting");
  };

  await subscriber.subscribe(channel);
  subscriber.on("message", (_channel: string, id: string) => {
    reload(id).catch(onError);
  });

  const store: BreakerStore = {
    availability: (id, now) => availability(cache.get(id), now),
    state: (id) => cache.get(id),
    known: () => cache.entries(),
    async claimProbe(id, now) {
      if (availability(cache.get(id), now) !== "half-open") return false;
      return update(id, (prev) => claimProbe(prev, holder, now));
    },
    async success(id) {
      if (!needsReset(cache.get(id))) return;
      await update(id, (prev) =>
        needsReset(prev)
          ? { ...CLOSED, lastError: prev.lastError, lastErrorAt: prev.lastErrorAt }
          : null,
      );
    },
    async failure(id, input, now) {
      await update(id, (prev) =>
        onFailure(prev, { ...input, probe: input.probe && prev.probeHolder === holder }, now),
      );
    },
    async refresh() {
      const keys: string[] = [];
      let cursor = "0";
      do {
        const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
        cursor = next;
        keys.push(...found.filter((key) => key !== channel));
      } while (cursor !== "0");
      const values = keys.length ? await redis.mget(...keys) : [];
      cache.clear();
      keys.forEach((key, i) => put(key.slice(prefix.length), parse(values[i] ?? null)));
    },
    async close() {
      clearInterval(timer);
      // QUIT waits for an answer a hung Redis never gives: give it the command timeout.
      await Promise.all([quitOrDrop(subscriber), quitOrDrop(redis)]);
    },
  };
  await store.refresh();
  const timer = setInterval(() => void store.refresh().catch(onError), REFRESH_MS);
  timer.unref();
  return store;
}

async function quitOrDrop(connection: Redis): Promise<void> {
  const quit = connection.quit().then(
    () => "quit" as const,
    () => "late" as const,
  );
  const late = new Promise<"late">((resolve) =>
    setTimeout(() => resolve("late"), REDIS_COMMAND_TIMEOUT_MS).unref(),
  );
  if ((await Promise.race([quit, late])) === "late") connection.disconnect();
}
