import { and, desc, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { usageRecords } from "@/db/schema";

/**
 * The Playground's first choice: of the models it may offer, the one that answered a
 * request successfully most recently (anyone's, in the last 7 days), so a just-registered
 * model that does not answer is not what a newcomer tries first. Null when none has.
 */
export async function defaultPlaygroundModel(db: Db, offered: string[]): Promise<string | null> {
  if (offered.length === 0) return null;
  const since = new Date(Date.now() - 7 * 24 * 60 * 60 * 1000);
  const [row] = await db
    .select({ model: usageRecords.model, last: sql`max(${usageRecords.createdAt})` })
    .from(usageRecords)
    .where(
      and(
        inArray(usageRecords.model, offered),
        gte(usageRecords.createdAt, since),
        gte(usageRecords.status, 200),
        lt(usageRecords.status, 300),
      ),
    )
    .groupBy(usageRecords.model)
    .orderBy(desc(sql`max(${usageRecords.createdAt})`))
    .limit(1);
  return row?.model ?? null;
}
