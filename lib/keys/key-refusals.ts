import { and, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { keyRefusals } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { loadVisibleKey } from "./key-access";

/**
 * How often keys were refused (revoked, expired, paused, limit reached, rate limited, model
 * or address not allowed, no balance), from the per-minute counts the gateway writes in
 * batches (lib/gateway/refusal-counter.ts): what a user needs to see why an application
 * fails. Codes are the `/v1` error codes.
 */
export interface RefusalCounts {
  total: number;
  byCode: Record<string, number>;
}

export interface DailyRefusals extends RefusalCounts {
  /** UTC day, `2026-05-01`. */
  date: string;
}

const DAY_MS = 86_400_000;

/** Refusals of these keys in [from, to), per key. No authorization: callers scope `keyIds`. */
export async function refusalsOfKeys(
  db: Db,
  keyIds: string[],
  range: { from: Date; to: Date },
): Promise<Map<string, RefusalCounts>> {
  const out = new Map<string, RefusalCounts>();
  if (keyIds.length === 0) return out;
  const rows = await db
    .select({
      keyId: keyRefusals.keyId,
      code: keyRefusals.code,
      count: sql<number>`sum(${keyRefusals.count})::int`,
    })
    .from(keyRefusals)
    .where(
      and(
        inArray(keyRefusals.keyId, keyIds),
        gte(keyRefusals.minute, range.from),
        lt(keyRefusals.minute, range.to),
      ),
    )
    .groupBy(keyRefusals.keyId, keyRefusals.code);
  for (const row of rows) {
    const counts = out.get(row.keyId) ?? { total: 0, byCode: {} };
    counts.total += Number(row.count);
    counts.byCode[row.code] = (counts.byCode[row.code] ?? 0) + Number(row.count);
    out.set(row.keyId, counts);
  }
  return out;
}

/**
 * A key's refusals per UTC day in [from, to) (the last 30 days by default), for a key the
 * actor may see (else "not found", as every key read): the key detail page and
 * `GET /api/v1/keys/{id}/usage` show them beside its requests.
 */
export async function keyRefusalsByDay(
  db: Db,
  actor: Actor,
  id: string,
  range: { from?: Date; to?: Date } = {},
  now = new Date(),
): Promise<{ from: Date; to: Date; total: RefusalCounts; days: DailyRefusals[] }> {
  const key = await loadVisibleKey(db, actor, id);
  const to = range.to ?? now;
  const from = range.from ?? new Date(to.getTime() - 30 * DAY_MS);
  const day = sql<string>`to_char(date_trunc('day', ${keyRefusals.minute} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      date: day,
      code: keyRefusals.code,
      count: sql<number>`sum(${keyRefusals.count})::int`,
    })
    .from(keyRefusals)
    .where(
      and(
        inArray(keyRefusals.keyId, [key.id]),
        gte(keyRefusals.minute, from),
        lt(keyRefusals.minute, to),
      ),
    )
    .groupBy(day, keyRefusals.code)
    .orderBy(day);
  const total: RefusalCounts = { total: 0, byCode: {} };
  const days = new Map<string, DailyRefusals>();
  for (const row of rows) {
    const count = Number(row.count);
    const entry = days.get(row.date) ?? { date: row.date, total: 0, byCode: {} };
    entry.total += count;
    entry.byCode[row.code] = (entry.byCode[row.code] ?? 0) + count;
    days.set(row.date, entry);
    total.total += count;
    total.byCode[row.code] = (total.byCode[row.code] ?? 0) + count;
  }
  return { from, to, total, days: [...days.values()] };
}
