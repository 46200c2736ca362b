import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { FieldError } from "@/lib/errors/domain-errors";
import { checkResume } from "./admin-locks";
import { invalidateKey } from "./invalidate";
import { loadVisibleKey, type KeyWithCreator } from "./key-access";

/**
 * Pause: the gateway refuses the key (403 key_paused) until it is resumed. Unlike revoke
 * it is reversible. Pausing a paused key (or resuming an active one) changes nothing.
 */
export async function pauseKey(db: Db, actor: Actor, id: string): Promise<KeyWithCreator> {
  return setPaused(db, actor, id, true);
}

export async function resumeKey(db: Db, actor: Actor, id: string): Promise<KeyWithCreator> {
  return setPaused(db, actor, id, false);
}

async function setPaused(
  db: Db,
  actor: Actor,
  id: string,
  paused: boolean,
): Promise<KeyWithCreator> {
  const key = await loadVisibleKey(db, actor, id);
  if (key.revokedAt)
    throw new FieldError(
      "id",
      "This key is revoked; a revoked key cannot be paused or resumed.",
      409,
    );
  if ((key.pausedAt !== null) === paused) return key;
  if (!paused) await checkResume(db, actor, key);
  const [row] = await db.transaction(async (tx) => {
    const rows = await tx
      .update(apiKeys)
      .set(
        paused
          ? { pausedAt: sql`now()`, pausedBy: actor.user.id }
          : { pausedAt: null, pausedBy: null },
      )
      .where(
        and(
          eq(apiKeys.id, key.id),
          paused ? isNull(apiKeys.pausedAt) : isNotNull(apiKeys.pausedAt),
        ),
      )
      .returning();
    if (rows.length > 0) {
      await recordAudit(tx, actor, {
        action: paused ? "key.pause" : "key.resume",
        targetType: "api_key",
        targetId: key.id,
        teamId: key.teamId,
        details: { name: key.name },
      });
    }
    return rows;
  });
  await invalidateKey(db, key.id);
  if (!row) return loadVisibleKey(db, actor, id);
  return { ...row, createdByName: key.createdByName, createdByEmail: key.createdByEmail };
}
