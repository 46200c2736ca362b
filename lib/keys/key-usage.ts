import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { usageRecords } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { loadVisibleKey } from "./key-access";

export interface DailyUsage {
  /** UTC day, `2026-05-01`. */
  date: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  spend: bigint;
}

const DAY_MS = 86_400_000;

/** A visible key's requests, tokens and spend per UTC day in [from, to); the last 30 days by default. */
export async function keyUsageByDay(
  db: Db,
  actor: Actor,
  id: string,
  range: { from?: Date; to?: Date } = {},
  now = new Date(),
): Promise<{ from: Date; to: Date; days: DailyUsage[] }> {
  const key = await loadVisibleKey(db, actor, id);
  const to = range.to ?? now;
  const from = range.from ?? new Date(to.getTime() - 30 * DAY_MS);
  const day = sql<string>`to_char(date_trunc('day', ${usageRecords.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      date: day,
      requests: sql<number>`count(*)::int`,
      promptTokens: sql<string>`coalesce(sum(${usageRecords.promptTokens}), 0)::bigint`,
      completionTokens: sql<string>`coalesce(sum(${usageRecords.completionTokens}), 0)::bigint`,
      spend: sql<string>`coalesce(sum(${usageRecords.cost}), 0)::bigint`,
    })
    .from(usageRecords)
    .where(
      and(
        eq(usageRecords.keyId, key.id),
        gte(usageRecords.createdAt, from),
        lt(usageRecords.createdAt, to),
      ),
    )
    .groupBy(day)
    .orderBy(day);
  return {
    from,
    to,
    days: rows.map((row) => ({
      date: row.date,
      requests: Number(row.requests),
      promptTokens: Number(row.promptTokens),
      completionTokens: Number(row.completionTokens),
      spend: BigInt(row.spend),
    })),
  };
}
