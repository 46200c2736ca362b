import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, usageRecords } from "@/db/schema";
import { maskKey } from "@/lib/keys/format";
import { daysOf, type UsageRange } from "./range";
import type { UsageScope } from "./scope";

/**
 * Usage of one scope (lib/usage/scope) over one range, summed in SQL. Every query takes the
 * scope's `where`: nothing here widens what the caller may read.
 */
export interface UsageTotals {
  requests: number;
  /** Requests that ended with an error status (4xx/5xx). */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  spend: bigint;
}

export interface DayUsage extends UsageTotals {
  /** UTC day, `2026-05-01`. */
  date: string;
}

export interface KeyUsage extends UsageTotals {
  keyId: string;
  name: string;
  display: string;
  revoked: boolean;
}

export interface ModelUsage extends UsageTotals {
  model: string;
}

const totalsColumns = {
  requests: sql<number>`count(*)::int`,
  errors: sql<number>`(count(*) filter (where ${usageRecords.status} >= 400))::int`,
  promptTokens: sql<string>`coalesce(sum(${usageRecords.promptTokens}), 0)::bigint`,
  completionTokens: sql<string>`coalesce(sum(${usageRecords.completionTokens}), 0)::bigint`,
  spend: sql<string>`coalesce(sum(${usageRecords.cost}), 0)::bigint`,
};

type RawTotals = {
  requests: number;
  errors: number;
  promptTokens: string;
  completionTokens: string;
  spend: string;
};

function toTotals(row: RawTotals | undefined): UsageTotals {
  return {
    requests: Number(row?.requests ?? 0),
    errors: Number(row?.errors ?? 0),
    promptTokens: Number(row?.promptTokens ?? 0),
    completionTokens: Number(row?.completionTokens ?? 0),
    spend: BigInt(row?.spend ?? 0),
  };
}

export function inRange(scope: UsageScope, range: UsageRange): SQL {
  return and(
    scope.where,
    gte(usageRecords.createdAt, range.from),
    lt(usageRecords.createdAt, range.to),
  )!;
}

export async function usageTotals(
  db: Db,
  scope: UsageScope,
  range: UsageRange,
): Promise<UsageTotals> {
  const [row] = await db.select(totalsColumns).from(usageRecords).where(inRange(scope, range));
  return toTotals(row);
}

/** One entry per UTC day of the range, zero where nothing happened (a chart needs the gaps). */
export async function usageByDay(
  db: Db,
  scope: UsageScope,
  range: UsageRange,
): Promise<DayUsage[]> {
  const day = sql<string>`to_char(date_trunc('day', ${usageRecords.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await db
    .select({ date: day, ...totalsColumns })
    .from(usageRecords)
    .where(inRange(scope, range))
    .groupBy(day);
  const byDate = new Map(rows.map((row) => [row.date, toTotals(row)]));
  return daysOf(range).map((date) => ({ date, ...(byDate.get(date) ?? toTotals(undefined)) }));
}

/** Per key, most spend first; keys keep their name and masked display after revocation. */
export async function usageByKey(
  db: Db,
  scope: UsageScope,
  range: UsageRange,
): Promise<KeyUsage[]> {
  const rows = await db
    .select({
      keyId: usageRecords.keyId,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      last4: apiKeys.last4,
      revokedAt: apiKeys.revokedAt,
      ...totalsColumns,
    })
    .from(usageRecords)
    .innerJoin(apiKeys, eq(apiKeys.id, usageRecords.keyId))
    .where(inRange(scope, range))
    .groupBy(usageRecords.keyId, apiKeys.name, apiKeys.prefix, apiKeys.last4, apiKeys.revokedAt)
    .orderBy(desc(sql`coalesce(sum(${usageRecords.cost}), 0)`), desc(sql`count(*)`), apiKeys.name);
  return rows.map((row) => ({
    keyId: row.keyId!,
    name: row.name,
    display: maskKey(row.prefix, row.last4),
    revoked: row.revokedAt !== null,
    ...toTotals(row),
  }));
}

/** Per model name as requested (a deleted model's history keeps its name). */
export async function usageByModel(
  db: Db,
  scope: UsageScope,
  range: UsageRange,
): Promise<ModelUsage[]> {
  const rows = await db
    .select({ model: usageRecords.model, ...totalsColumns })
    .from(usageRecords)
    .where(inRange(scope, range))
    .groupBy(usageRecords.model)
    .orderBy(
      desc(sql`coalesce(sum(${usageRecords.cost}), 0)`),
      desc(sql`count(*)`),
      usageRecords.model,
    );
  return rows.map((row) => ({ model: row.model, ...toTotals(row) }));
}
