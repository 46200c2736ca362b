import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { createKey, PLAYGROUND_KEY_NAME } from "@/lib/keys/create-key";

/** The name the Playground's key carries in the user's key list. */
export { PLAYGROUND_KEY_NAME };

export interface PlaygroundKey {
  id: string;
  /** Only the stored hash: the raw key is discarded the moment it is created. */
  keyHash: string;
}

/**
 * The user's personal "Playground" key, created on first use. The Playground chats through
 * a real key so that its spend, limits and usage records are those of any key (visible,
 * editable and revocable in the key list). A revoked or expired one is replaced; a
 * limit_reached one is kept, so that the limit the user set is honoured and reported.
 */
export async function ensurePlaygroundKey(
  db: Db,
  actor: Actor,
  now = new Date(),
): Promise<PlaygroundKey> {
  const existing = await findPlaygroundKey(db, actor.user.id, now);
  if (existing) return existing;
  return db.transaction(async (tx) => {
    // Two tabs sending their first message at once must end up with one key, not two.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`playground-key:${actor.user.id}`}))`,
    );
    const raced = await findPlaygroundKey(tx, actor.user.id, now);
    if (raced) return raced;
    const { key } = await createKey(
      tx,
      actor,
      {
        name: PLAYGROUND_KEY_NAME,
        type: "model_serving",
        teamId: null,
        spendingLimit: null,
        expiresAt: null,
        forPlayground: true,
      },
      now,
    );
    return { id: key.id, keyHash: key.keyHash };
  });
}

/**
 * The models the Playground's key may call (null: every model), so the Playground offers only
 * those: the gateway would refuse the others with model_not_allowed anyway.
 */
export async function playgroundAllowedModels(
  db: Db,
  userId: string,
  now = new Date(),
): Promise<string[] | null> {
  const key = await findPlaygroundKey(db, userId, now);
  if (!key) return null;
  const [row] = await db
    .select({ allowedModels: apiKeys.allowedModels })
    .from(apiKeys)
    .where(eq(apiKeys.id, key.id))
    .limit(1);
  return row?.allowedModels ?? null;
}

async function findPlaygroundKey(db: Db, userId: string, now: Date): Promise<PlaygroundKey | null> {
  const [row] = await db
    .select({ id: apiKeys.id, keyHash: apiKeys.keyHash })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.createdBy, userId),
        isNull(apiKeys.teamId),
        eq(apiKeys.type, "model_serving"),
        eq(apiKeys.name, PLAYGROUND_KEY_NAME),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    )
    .orderBy(desc(apiKeys.createdAt))
    .limit(1);
  return row ?? null;
}
