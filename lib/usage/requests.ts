import { and, asc, desc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, usageRecords } from "@/db/schema";
import { maskKey } from "@/lib/keys/format";
import { inRange } from "./aggregate";
import type { UsageRange } from "./range";
import type { UsageScope } from "./scope";
import type { RequestOutcome } from "@/lib/gateway/types";

/** One recorded `/v1` request as the Usage page's table and the CSV show it. */
export interface RequestRow extends Omit<RequestOutcome, "cachedInputTokens" | "cacheWriteTokens"> {
  id: string;
  requestId: string;
  at: Date;
  keyId: string | null;
  keyName: string | null;
  keyDisplay: string | null;
  model: string;
  endpoint: string;
  streamed: boolean;
  /** Of promptTokens, cachedInputTokens were read from the provider's prompt cache. */
  cachedInputTokens: number;
  cost: bigint;
  costSource: "upstream" | "estimate" | "none";
  latencyMs: number;
}

const columns = {
  id: usageRecords.id,
  requestId: usageRecords.requestId,
  at: usageRecords.createdAt,
  keyId: usageRecords.keyId,
  keyName: apiKeys.name,
  prefix: apiKeys.prefix,
  last4: apiKeys.last4,
  model: usageRecords.model,
  endpoint: usageRecords.endpoint,
  streamed: usageRecords.streamed,
  status: usageRecords.status,
  errorCode: usageRecords.errorCode,
  promptTokens: usageRecords.promptTokens,
  completionTokens: usageRecords.completionTokens,
  cachedInputTokens: usageRecords.cachedInputTokens,
  cost: usageRecords.cost,
  costSource: usageRecords.costSource,
  latencyMs: usageRecords.latencyMs,
};

type Raw = { [K in keyof typeof columns]: unknown } & Record<string, unknown>;

function toRow(raw: Raw): RequestRow {
  const {
    prefix,
    last4,
    cursorAt: _cursor,
    ...rest
  } = raw as unknown as RequestRow & {
    prefix: string | null;
    last4: string | null;
    cursorAt?: string;
  };
  void _cursor;
  return { ...rest, keyDisplay: prefix && last4 ? maskKey(prefix, last4) : null };
}

/** The latest requests of the scope in the range, newest first. */
export async function recentRequests(
  db: Db,
  scope: UsageScope,
  range: UsageRange,
  limit = 50,
): Promise<RequestRow[]> {
  const rows = await db
    .select(columns)
    .from(usageRecords)
    .leftJoin(apiKeys, eq(apiKeys.id, usageRecords.keyId))
    .where(inRange(scope, range))
    .orderBy(desc(usageRecords.createdAt), desc(usageRecords.id))
    .limit(limit);
  return rows.map((row) => toRow(row as Raw));
}

/**
 * Every request of the scope in the range, oldest first, a page at a time (keyset on
 * created_at and id) so that an export of a busy year never holds it all in memory.
 */
export async function* allRequests(
  db: Db,
  scope: UsageScope,
  range: UsageRange,
  pageSize = 1000,
): AsyncGenerator<RequestRow[]> {
  // The cursor keeps Postgres's own text of the timestamp: a JS Date drops microseconds,
  // and a truncated cursor would repeat or skip rows.
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const cursor: SQL | undefined = after
      ? or(
          sql`${usageRecords.createdAt} > ${after.at}::timestamptz`,
          and(
            sql`${usageRecords.createdAt} = ${after.at}::timestamptz`,
            gt(usageRecords.id, after.id),
          ),
        )
      : undefined;
    const rows: (Raw & { id: string; cursorAt: string })[] = await db
      .select({ ...columns, cursorAt: sql<string>`${usageRecords.createdAt}::text` })
      .from(usageRecords)
      .leftJoin(apiKeys, eq(apiKeys.id, usageRecords.keyId))
      .where(and(inRange(scope, range), cursor))
      .orderBy(asc(usageRecords.createdAt), asc(usageRecords.id))
      .limit(pageSize);
    if (rows.length === 0) return;
    const page = rows.map((row) => toRow(row as Raw));
    yield page;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = { at: last.cursorAt, id: last.id };
  }
}
