import { and, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, teamMembers, users, type ApiKeyRow } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { isUuid } from "@/lib/teams/membership";

/**
 * Who may see (and so manage) a key, the one rule every key query goes through:
 * a personal key only its creator; a team key the team's admins, and the member who
 * created it while they are still in the team.
 */
export function visibleTo(userId: string): SQL {
  return or(
    and(isNull(apiKeys.teamId), eq(apiKeys.createdBy, userId)),
    sql`exists (select 1 from ${teamMembers} where ${teamMembers.teamId} = ${apiKeys.teamId} and ${teamMembers.userId} = ${userId}
          and (${teamMembers.role} = 'admin' or ${apiKeys.createdBy} = ${userId}))`,
  )!;
}

export type KeyWithCreator = ApiKeyRow & { createdByName: string; createdByEmail: string };

export const keyWithCreatorColumns = {
  key: apiKeys,
  createdByName: users.name,
  createdByEmail: users.email,
};

/** The key if the actor may see it; otherwise NotFoundError, the same as for a key that does not exist. */
export async function loadVisibleKey(db: Db, actor: Actor, id: string): Promise<KeyWithCreator> {
  if (!isUuid(id)) throw new NotFoundError("key");
  const [row] = await db
    .select(keyWithCreatorColumns)
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .where(and(eq(apiKeys.id, id), visibleTo(actor.user.id)))
    .limit(1);
  if (!row) throw new NotFoundError("key");
  return { ...row.key, createdByName: row.createdByName, createdByEmail: row.createdByEmail };
}
