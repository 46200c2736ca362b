import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, type KeyType } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { formatMoney } from "@/lib/core/money";
import { env } from "@/lib/env";
import { FieldError, KeyLimitReachedError } from "@/lib/errors/domain-errors";
import { requireTeamMember } from "@/lib/teams/membership";
import { generateKey, hashKey, keyPrefix } from "./format";
import type { KeyWithCreator } from "./key-access";
import { activeKeyAt, isPlaygroundKey, PLAYGROUND_KEY_NAME } from "./active-key-sql";
import { periodColumns, rateLimitColumns, type KeyControlsInput } from "./key-controls";

export interface CreateKeyInput extends KeyControlsInput {
  name: string;
  type: KeyType;
  /** null: a personal key. */
  teamId: string | null;
  spendingLimit: bigint | null;
  expiresAt: Date | null;
  /** The Playground's own key: it does not take one of the account's places under the cap. */
  forPlayground?: boolean;
}

export { PLAYGROUND_KEY_NAME };

export interface CreatedKey {
  key: KeyWithCreator;
  /** The full key. Returned here once and nowhere else; only its hash is stored. */
  rawKey: string;
}

export async function createKey(
  db: Db,
  actor: Actor,
  input: CreateKeyInput,
  now = new Date(),
): Promise<CreatedKey> {
  if (input.type === "management" && input.teamId) {
    throw new FieldError(
      "team_id",
      "A Management key is always personal: it acts for you. Choose Personal as the owner.",
    );
  }
  if (input.teamId) await requireTeamMember(db, input.teamId, actor.user.id);
  const cap = env().MAX_ACTIVE_KEYS_PER_ACCOUNT;
  const rawKey = generateKey(input.type === "management" ? "mgmt" : "live", env().KEY_PREFIX);
  const prefix = keyPrefix(input.type === "management" ? "mgmt" : "live", env().KEY_PREFIX);

  const period = await periodColumns(db, null, input.budgetPeriod ?? "none", 0n, now);
  const limits = rateLimitColumns(input.rateLimits);
  const row = await db.transaction(async (tx) => {
    // Serialise creates per account so that two at once cannot both slip under the cap.
    const account = input.teamId ? `team:${input.teamId}` : `user:${actor.user.id}`;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`keys:${account}`}))`);
    const [{ active, playground }] = await tx
      .select({
        active: sql<number>`count(*)::int`,
        playground: sql<number>`(count(*) filter (where ${isPlaygroundKey}))::int`,
      })
      .from(apiKeys)
      .where(and(ownedBy(input.teamId, actor.user.id), activeKeyAt(now)));
    // One Playground key is the dashboard's own tool, not one of the user's keys: it neither
    // counts against the cap nor is refused by it.
    const counted = active - Math.min(playground, 1);
    if (!input.forPlayground && counted >= cap) throw new KeyLimitReachedError(cap);
    const [inserted] = await tx
      .insert(apiKeys)
      .values({
        name: input.name,
        type: input.type,
        keyHash: hashKey(rawKey),
        prefix,
        last4: rawKey.slice(-4),
        createdBy: actor.user.id,
        teamId: input.teamId,
        spendingLimit: input.spendingLimit,
        expiresAt: input.expiresAt,
        allowedModels: input.allowedModels ?? null,
        requestsPerMinute: limits.requestsPerMinute ?? null,
        tokensPerMinute: limits.tokensPerMinute ?? null,
        maxConcurrent: limits.maxConcurrent ?? null,
        ...period,
        ipAllowlist: input.ipAllowlist ?? null,
        ...(input.alertThresholds ? { alertThresholds: input.alertThresholds } : {}),
      })
      .returning();
    await recordAudit(tx, actor, {
      action: "key.create",
      targetType: "api_key",
      targetId: inserted.id,
      teamId: input.teamId,
      details: {
        name: input.name,
        type: input.type,
        spending_limit: input.spendingLimit === null ? null : formatMoney(input.spendingLimit),
        expires_at: input.expiresAt?.toISOString() ?? null,
        allowed_models: inserted.allowedModels,
        rate_limits: {
          requests_per_minute: inserted.requestsPerMinute,
          tokens_per_minute: inserted.tokensPerMinute,
          max_concurrent: inserted.maxConcurrent,
        },
        budget_period: inserted.budgetPeriod,
        ip_allowlist: inserted.ipAllowlist,
        alert_thresholds: inserted.alertThresholds,
      },
    });
    return inserted;
  });
  return {
    key: { ...row, createdByName: actor.user.name, createdByEmail: actor.user.email },
    rawKey,
  };
}

function ownedBy(teamId: string | null, userId: string) {
  return teamId
    ? eq(apiKeys.teamId, teamId)
    : and(isNull(apiKeys.teamId), eq(apiKeys.createdBy, userId));
}
