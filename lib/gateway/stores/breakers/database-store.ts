import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { deploymentBreakers, type BreakerRow } from "@/db/schema";
import {
  availability,
  claimProbe,
  CLOSED,
  needsReset,
  onFailure,
  type BreakerState,
} from "@/lib/models/breaker-rules";
import { breakerChannel } from "@/lib/models/breaker-notify";
import type { BreakerStore, BreakerTransition } from "./types";

const REFRESH_MS = 15_000;

/**
 * Breakers in Postgres (or PGlite): each change is one short transaction that locks the
 * deployment's row, applies lib/models/breaker-rules.ts and writes the result, then NOTIFY tells the
 * other processes, which re-read the row into their cache. Requests read only the cache.
 */
export async function databaseBreakerStore(
  database: Database,
  options: { onTransition?: BreakerTransition; onError?: (error: unknown) => void } = {},
): Promise<BreakerStore> {
  const db = database.db;
  const holder = randomUUID();
  const cache = new Map<string, BreakerState>();
  const onError = options.onError ?? (() => undefined);

  const put = (id: string, state: BreakerState | null) => {
    if (state && (state.failures > 0 || state.openUntil !== null || state.unhealthy))
      cache.set(id, state);
    else cache.delete(id);
  };
  const reload = async (id: string) => {
    const [row] = await db
      .select()
      .from(deploymentBreakers)
      .where(eq(deploymentBreakers.deploymentId, id));
    put(id, row ? fromRow(row) : null);
  };

  /** Read, change and write one breaker under its row lock; null from `change` leaves it. */
  const update = async (
    id: string,
    change: (prev: BreakerState) => BreakerState | null,
  ): Promise<{ prev: BreakerState; next: BreakerState } | null> => {
    const result = await db.transaction(async (tx) => {
      await tx.insert(deploymentBreakers).values({ deploymentId: id }).onConflictDoNothing();
      const [row] = await tx
        .select()
        .from(deploymentBreakers)
        .where(eq(deploymentBreakers.deploymentId, id))
        .for("update");
      if (!row) return null;
      const prev = fromRow(row);
      const next = change(prev);
      if (!next) return { prev, next: null };
      await tx
        .update(deploymentBreakers)
        .set(toRow(next))
        .where(eq(deploymentBreakers.deploymentId, id));
      return { prev, next };
    });
    if (!result) return null;
    if (!result.next) {
      put(id, result.prev);
      return null;
    }
    put(id, result.next);
    await breakerChannel
      .publish(id, (channel, payload) => database.notify(channel, payload))
      .catch(onError);
    const wasOpen = result.prev.openUntil !== null;
    const isOpen = result.next.openUntil !== null;
    if (!wasOpen && isOpen) options.onTransition?.(id, "opened", result.next);
    if (wasOpen && !isOpen) options.onTransition?.(id, "closed", result.next);
    return { prev: result.prev, next: result.next };
  };

  const offLocal = breakerChannel.onLocal(() => undefined);
  const unlisten = await database.listen(breakerChannel.name, (id) => {
    reload(id).catch(onError);
  });
  const store: BreakerStore = {
    availability: (id, now) => availability(cache.get(id), now),
    state: (id) => cache.get(id),
    known: () => cache.entries(),
    async claimProbe(id, now) {
      if (availability(cache.get(id), now) !== "half-open") return false;
      const done = await update(id, (prev) => claimProbe(prev, holder, now));
      return done !== null;
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
      const rows = await db.select().from(deploymentBreakers);
      cache.clear();
      for (const row of rows) put(row.deploymentId, fromRow(row));
    },
    async close() {
      clearInterval(timer);
      offLocal();
      await unlisten().catch(() => undefined);
    },
  };
  await store.refresh();
  const timer = setInterval(() => void store.refresh().catch(onError), REFRESH_MS);
  timer.unref();
  return store;
}

function fromRow(row: BreakerRow): BreakerState {
  return {
    failures: row.failures,
    openUntil: row.openUntil?.getTime() ?? null,
    cooldownMs: row.cooldownMs,
    probeHolder: row.probeHolder,
    probeUntil: row.probeUntil?.getTime() ?? null,
    unhealthy: row.unhealthy,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.getTime() ?? null,
  };
}

function toRow(state: BreakerState) {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return {
    failures: state.failures,
    openUntil: date(state.openUntil),
    cooldownMs: state.cooldownMs,
    probeHolder: state.probeHolder,
    probeUntil: date(state.probeUntil),
    unhealthy: state.unhealthy,
    lastError: state.lastError,
    lastErrorAt: date(state.lastErrorAt),
    updatedAt: new Date(),
  };
}
