import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows-of";

/**
 * Deletes captured payloads older than `cutoff`, a batch at a time, and nothing else. Safe
 * with several processes purging at once: each batch locks the rows it takes with
 * FOR UPDATE SKIP LOCKED, so two processes never wait on each other or delete the same row
 * twice, and a row still being inserted by a flush is not visible to either.
 * Returns how many rows this call deleted.
 */
export async function purgePayloads(db: Db, cutoff: Date, batch = 1_000): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = rowsOf<{ request_id: string }>(
      await db.execute(sql`
        delete from request_payloads where request_id in (
          select request_id from request_payloads
          where created_at < ${cutoff.toISOString()}::timestamptz
          order by created_at
          limit ${batch}
          for update skip locked)
        returning request_id`),
    ).length;
    total += deleted;
    if (deleted < batch) return total;
  }
}

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Every process that serves /v1 purges on a timer (first run a minute after start); with
 * several processes each run is safe (see purgePayloads), so no leader is needed.
 */
export function startPayloadPurge(
  db: Db,
  retentionDays: number,
  clock: () => number,
  onError: (error: unknown) => void,
): () => void {
  const run = () =>
    void purgePayloads(db, new Date(clock() - retentionDays * 86_400_000)).catch(onError);
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, PURGE_EVERY_MS);
  first.unref?.();
  timer.unref?.();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
