import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors/api-error";
import { hashKey, parseKey } from "@/lib/keys/format";
import { keyStatus } from "@/lib/keys/status";
import type { Actor } from "../core/actor";
import { admitManagementKey, checkManagementKeyAddress } from "./management-key-controls";

/** last_used_at is written at most once a minute per key (PRODUCT.md "Keys"). */
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * Resolves a bearer token to the Management key's creator. The checksum is checked
 * offline first so that typos and scanner noise never reach the database.
 */
export async function authenticateManagementKey(
  db: Db,
  token: string,
  now = new Date(),
  clientIp = "unknown",
): Promise<Actor> {
  const parsed = parseKey(token, env().KEY_PREFIX);
  if (!parsed) throw new ApiError(401, "invalid_api_key", "Incorrect API key provided.");
  if (parsed.kind !== "mgmt") {
    throw new ApiError(
      403,
      "wrong_key_type",
      "A Model Serving key cannot call the management API. Create a Management key for scripts and CI.",
    );
  }
  const [row] = await db
    .select({
      id: apiKeys.id,
      revokedAt: apiKeys.revokedAt,
      pausedAt: apiKeys.pausedAt,
      keyHash: apiKeys.keyHash,
      previousKeyExpiresAt: apiKeys.previousKeyExpiresAt,
      expiresAt: apiKeys.expiresAt,
      spendingLimit: apiKeys.spendingLimit,
      spend: apiKeys.spend,
      lastUsedAt: apiKeys.lastUsedAt,
      type: apiKeys.type,
      createdBy: apiKeys.createdBy,
      ipAllowlist: apiKeys.ipAllowlist,
      requestsPerMinute: apiKeys.requestsPerMinute,
      maxConcurrent: apiKeys.maxConcurrent,
      user: {
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        disabledAt: users.disabledAt,
      },
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .where(or(eq(apiKeys.keyHash, hashKey(token)), eq(apiKeys.previousKeyHash, hashKey(token))))
    .limit(1);
  if (!row || row.type !== "management")
    throw new ApiError(401, "invalid_api_key", "Incorrect API key provided.");
  const status = keyStatus(row, now);
  if (status === "revoked")
    throw new ApiError(401, "key_revoked", "This API key has been revoked.");
  if (status === "expired") throw new ApiError(401, "key_expired", "This API key has expired.");
  // The secret a roll replaced: accepted until its grace period ends.
  if (
    row.keyHash !== hashKey(token) &&
    (!row.previousKeyExpiresAt || row.previousKeyExpiresAt.getTime() <= now.getTime())
  ) {
    throw new ApiError(
      401,
      "key_rotated",
      "This API key was rolled and its grace period is over; use the new key.",
    );
  }
  if (status === "paused")
    throw new ApiError(403, "key_paused", "This API key is paused; its owner can resume it.");
  // A disabled account's keys stop working, with their own code (as on /v1): a wrong key and
  // a disabled account are different problems for whoever reads the error.
  if (row.user.disabledAt)
    throw new ApiError(
      401,
      "account_disabled",
      "The account this API key belongs to is disabled; a platform admin can enable it again.",
    );

  // Its IP allowlist and rate limits, as on /v1 (a refused call is not "used").
  checkManagementKeyAddress(row, clientIp);
  const { disabledAt: _disabled, ...user } = row.user;
  void _disabled;
  const actor: Actor = { user, keyId: row.id };
  await admitManagementKey(db, row, actor);

  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    const cutoff = new Date(now.getTime() - LAST_USED_GRANULARITY_MS);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`${now.toISOString()}::timestamptz` })
      .where(
        and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, cutoff))),
      );
  }
  return actor;
}
