import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { invalidateKey } from "./invalidate";
import { loadVisibleKey, type KeyWithCreator } from "./key-access";

/** Revokes at once and for good. Revoking a revoked key changes nothing and is not an error. */
export async function revokeKey(db: Db, actor: Actor, id: string): Promise<KeyWithCreator> {
  const key = await loadVisibleKey(db, actor, id);
  if (key.revokedAt) return key;
  const [revoked] = await db.transaction(async (tx) => {
    const rows = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedBy: actor.user.id })
      .where(and(eq(apiKeys.id, key.id), isNull(apiKeys.revokedAt)))
      .returning();
    if (rows.length > 0) {
      await recordAudit(tx, actor, {
        action: "key.revoke",
        targetType: "api_key",
        targetId: key.id,
        teamId: key.teamId,
        details: { name: key.name },
      });
    }
    return rows;
  });
  await invalidateKey(db, key.id);
  if (!revoked) return loadVisibleKey(db, actor, id);
  return { ...revoked, createdByName: key.createdByName, createdByEmail: key.createdByEmail };
}
