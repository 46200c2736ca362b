import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { formatMoney } from "@/lib/core/money";
import { FieldError } from "@/lib/errors/domain-errors";
import { applyAdminLocks } from "./admin-locks";
import { invalidateKey } from "./invalidate";
import { loadVisibleKey, type KeyWithCreator } from "./key-access";
import { periodColumns, rateLimitColumns, type KeyControlsInput } from "./key-controls";

export interface UpdateKeyInput extends KeyControlsInput {
  name?: string;
  /** null removes the limit. Raising it above spend makes a limit_reached key active again. */
  spendingLimit?: bigint | null;
  /** null removes the expiry. */
  expiresAt?: Date | null;
}

type Changes = Record<string, { from: unknown; to: unknown }>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function updateKey(
  db: Db,
  actor: Actor,
  id: string,
  input: UpdateKeyInput,
  now = new Date(),
): Promise<KeyWithCreator> {
  const key = await loadVisibleKey(db, actor, id);
  if (key.revokedAt)
    throw new FieldError("id", "This key is revoked; a revoked key cannot be changed.", 409);

  const changes: Changes = {};
  const set: Partial<typeof apiKeys.$inferInsert> = {};
  const change = (
    field: string,
    from: unknown,
    to: unknown,
    columns: Partial<typeof apiKeys.$inferInsert>,
  ) => {
    if (to === undefined || same(from, to)) return;
    changes[field] = { from, to };
    Object.assign(set, columns);
  };
  if (input.name !== undefined) change("name", key.name, input.name, { name: input.name });
  if (input.spendingLimit !== undefined)
    change("spending_limit", money(key.spendingLimit), money(input.spendingLimit), {
      spendingLimit: input.spendingLimit,
    });
  if (input.expiresAt !== undefined)
    change(
      "expires_at",
      key.expiresAt?.toISOString() ?? null,
      input.expiresAt?.toISOString() ?? null,
      { expiresAt: input.expiresAt },
    );
  if (input.allowedModels !== undefined)
    change("allowed_models", key.allowedModels, input.allowedModels, {
      allowedModels: input.allowedModels,
    });
  if (input.rateLimits !== undefined) {
    const columns = rateLimitColumns(input.rateLimits);
    const before = {
      requests_per_minute: key.requestsPerMinute,
      tokens_per_minute: key.tokensPerMinute,
      max_concurrent: key.maxConcurrent,
    };
    const after = {
      requests_per_minute:
        columns.requestsPerMinute === undefined ? key.requestsPerMinute : columns.requestsPerMinute,
      tokens_per_minute:
        columns.tokensPerMinute === undefined ? key.tokensPerMinute : columns.tokensPerMinute,
      max_concurrent:
        columns.maxConcurrent === undefined ? key.maxConcurrent : columns.maxConcurrent,
    };
    change("rate_limits", before, after, {
      requestsPerMinute: after.requests_per_minute,
      tokensPerMinute: after.tokens_per_minute,
      maxConcurrent: after.max_concurrent,
    });
  }
  if (input.budgetPeriod !== undefined && input.budgetPeriod !== key.budgetPeriod) {
    change(
      "budget_period",
      key.budgetPeriod,
      input.budgetPeriod,
      await periodColumns(db, key.id, input.budgetPeriod, key.spend, now),
    );
  }
  if (input.ipAllowlist !== undefined)
    change("ip_allowlist", key.ipAllowlist, input.ipAllowlist, { ipAllowlist: input.ipAllowlist });
  if (input.alertThresholds !== undefined)
    change("alert_thresholds", key.alertThresholds, input.alertThresholds, {
      alertThresholds: input.alertThresholds,
    });
  if (Object.keys(changes).length === 0) return key;
  const locks = await applyAdminLocks(db, actor, key, Object.keys(changes));
  if (locks) set.lockedControls = locks;

  const [updated] = await db.transaction(async (tx) => {
    const rows = await tx.update(apiKeys).set(set).where(eq(apiKeys.id, key.id)).returning();
    await recordAudit(tx, actor, {
      action: "key.update",
      targetType: "api_key",
      targetId: key.id,
      teamId: key.teamId,
      details: { changes },
    });
    return rows;
  });
  // Every control is enforced from the gateway's cache: it must drop the old copy now.
  await invalidateKey(db, key.id);
  return { ...updated, createdByName: key.createdByName, createdByEmail: key.createdByEmail };
}

function money(value: bigint | null): string | null {
  return value === null ? null : formatMoney(value);
}
