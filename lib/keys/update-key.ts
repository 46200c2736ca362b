import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import type { Actor } from "@/lib/api/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { formatMoney } from "@/lib/billing/money";
import { FieldError } from "@/lib/errors/domain-errors";
import { invalidateKey } from "./invalidate";
import { loadVisibleKey, type KeyWithCreator } from "./key-access";

export interface UpdateKeyInput {
  name?: string;
  /** null removes the limit. Raising it above spend makes a limit_reached key active again. */
  spendingLimit?: bigint | null;
  /** null removes the expiry. */
  expiresAt?: Date | null;
}

export async function updateKey(db: Db, actor: Actor, id: string, input: UpdateKeyInput): Promise<KeyWithCreator> {
  const key = await loadVisibleKey(db, actor, id);
  if (key.revokedAt) throw new FieldError("id", "This key is revoked; a revoked key cannot be changed.", 409);

  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (input.name !== undefined && input.name !== key.name) changes.name = { from: key.name, to: input.name };
  if (input.spendingLimit !== undefined && input.spendingLimit !== key.spendingLimit) {
    changes.spending_limit = { from: money(key.spendingLimit), to: money(input.spendingLimit) };
  }
  if (input.expiresAt !== undefined && input.expiresAt?.getTime() !== key.expiresAt?.getTime()) {
    changes.expires_at = { from: key.expiresAt?.toISOString() ?? null, to: input.expiresAt?.toISOString() ?? null };
  }
  if (Object.keys(changes).length === 0) return key;

  const [updated] = await db.transaction(async (tx) => {
    const rows = await tx
      .update(apiKeys)
      .set({ name: input.name, spendingLimit: input.spendingLimit, expiresAt: input.expiresAt })
      .where(eq(apiKeys.id, key.id))
      .returning();
    await recordAudit(tx, actor, { action: "key.update", targetType: "api_key", targetId: key.id, teamId: key.teamId, details: { changes } });
    return rows;
  });
  // Limits and expiry are enforced from the gateway's cache: it must drop the old copy now.
  await invalidateKey(db, key.id);
  return { ...updated, createdByName: key.createdByName, createdByEmail: key.createdByEmail };
}

function money(value: bigint | null): string | null {
  return value === null ? null : formatMoney(value);
}
