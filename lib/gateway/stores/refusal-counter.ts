import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * Refusals of known keys, counted per key, minute and code in memory and added to
 * `key_refusals` in one statement per flush (on the usage sink's interval), so that
 * refusing a flood of requests costs no database write each (PRODUCT.md, "Every request is
 * recorded"). A flush that fails keeps its counts for the next one (bounded).
 */
export const REFUSAL_CODES = new Set([
  "key_revoked",
  "key_expired",
  "key_rotated",
  "key_paused",
  "account_disabled",
  "wrong_key_type",
  "limit_reached",
  "rate_limit_exceeded",
  "model_not_allowed",
  "ip_not_allowed",
  "insufficient_balance",
]);

export interface RefusalCounter {
  /** A refusal of `keyId` answered with `code` at `at` (ms); codes not refusals are ignored. */
  count(keyId: string, code: string, at: number): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const MAX_ENTRIES = 100_000;

export function databaseRefusalCounter(
  db: Db,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): RefusalCounter {
  let counts = new Map<string, number>();
  let flushing: Promise<void> = Promise.resolve();

  const writeOnce = async () => {
    if (counts.size === 0) return;
    const taken = counts;
    counts = new Map();
    const rows = [...taken].map(([id, count]) => {
      const [keyId, minute, code] = id.split("|");
      return { key_id: keyId, minute: new Date(Number(minute)).toISOString(), code, count };
    });
    try {
      // Sorted: two processes adding to the same rows take their locks in one order.
      rows.sort((a, b) => (a.key_id + a.minute + a.code < b.key_id + b.minute + b.code ? -1 : 1));
      await db.execute(sql`
        insert into key_refusals (key_id, minute, code, count)
        select r.key_id, r.minute, r.code, r.count
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as r(key_id uuid, minute timestamptz, code text, count integer)
        where exists (select 1 from api_keys k where k.id = r.key_id)
        on conflict (key_id, minute, code) do update set count = key_refusals.count + excluded.count`);
    } catch (error) {
      for (const [id, count] of taken) counts.set(id, (counts.get(id) ?? 0) + count);
      if (counts.size > MAX_ENTRIES) counts.clear();
      throw error;
    }
  };
  const flush = () => (flushing = flushing.then(writeOnce, writeOnce));
  const timer = setInterval(
    () => void flush().catch((error) => options.onError?.(error)),
    options.intervalMs ?? 1000,
  );
  timer.unref();

  return {
    count(keyId, code, at) {
      if (!REFUSAL_CODES.has(code)) return;
      const id = `${keyId}|${at - (at % 60_000)}|${code}`;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      if (counts.size > MAX_ENTRIES) counts.clear();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush().catch((error) => options.onError?.(error));
    },
  };
}
