import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { FieldError } from "@/lib/errors/domain-errors";
import { generateKey, hashKey } from "./format";
import { invalidateKey } from "./invalidate";
import { loadVisibleKey, type KeyWithCreator } from "./key-access";
import type { RollGraceSeconds } from "./schemas";

export interface RolledKey {
  key: KeyWithCreator;
  /** The new full key. Returned here once and nowhere else; only its hash is stored. */
  rawKey: string;
}

/**
 * A new secret for the same key: same id, name, limits, spend and history. The old secret
 * keeps working for `graceSeconds` (0: not at all), then the gateway answers it 401
 * key_rotated. Rolling again ends the previous grace at once: only the secret just replaced
 * is remembered.
 */
export async function rollKey(
  db: Db,
  actor: Actor,
  id: string,
  graceSeconds: RollGraceSeconds,
  now = new Date(),
): Promise<RolledKey> {
  const key = await loadVisibleKey(db, actor, id);
  if (key.revokedAt)
    throw new FieldError("id", "This key is revoked; a revoked key cannot be rolled.", 409);
  const kind = key.type === "management" ? "mgmt" : "live";
  const rawKey = generateKey(kind, env().KEY_PREFIX);
  const graceEnds = new Date(now.getTime() + graceSeconds * 1000);
  const [row] = await db.transaction(async (tx) => {
    const rows = await tx
      .update(apiKeys)
      .set({
        keyHash: hashKey(rawKey),
        last4: rawKey.slice(-4),
        previousKeyHash: key.keyHash,
        previousKeyExpiresAt: graceEnds,
        rolledAt: now,
      })
      .where(eq(apiKeys.id, key.id))
      .returning();
    await recordAudit(tx, actor, {
      action: "key.roll",
      targetType: "api_key",
      targetId: key.id,
      teamId: key.teamId,
      details: {
        name: key.name,
        grace_period_seconds: graceSeconds,
        previous_key_expires_at: graceEnds.toISOString(),
      },
    });
    return rows;
  });
  // Both the old and the new hash must leave every process's cache now.
  await invalidateKey(db, key.id);
  await invalidateKey(db, key.keyHash);
  return {
    key: { ...row, createdByName: key.createdByName, createdByEmail: key.createdByEmail },
    rawKey,
  };
}
