import { and, desc, eq, ilike, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { requireTeamMember } from "@/lib/teams/membership";
import { keyWithCreatorColumns, type KeyWithCreator } from "./key-access";
import { smallestRequestCost } from "./smallest-request";
import { keyStatus, type KeyStatus } from "./status";

export interface ListKeysQuery {
  /** "personal", or a team id. */
  owner: string;
  status?: KeyStatus;
  /** Case-insensitive substring of the name. */
  search?: string;
}

/**
 * Keys of one account that the actor may see: their personal keys; in a team, every key
 * for an admin and their own for a member. A team the actor is not in is "not found".
 */
export async function listKeys(
  db: Db,
  actor: Actor,
  query: ListKeysQuery,
  now = new Date(),
): Promise<KeyWithCreator[]> {
  const userId = actor.user.id;
  let scope;
  if (query.owner === "personal") {
    scope = and(isNull(apiKeys.teamId), eq(apiKeys.createdBy, userId));
  } else {
    const role = await requireTeamMember(db, query.owner, userId);
    scope =
      role === "admin"
        ? eq(apiKeys.teamId, query.owner)
        : and(eq(apiKeys.teamId, query.owner), eq(apiKeys.createdBy, userId));
  }
  const search = query.search?.trim();
  const rows = await db
    .select(keyWithCreatorColumns)
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .where(and(scope, search ? ilike(apiKeys.name, `%${escapeLike(search)}%`) : undefined))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  const keys = rows.map((row) => ({
    ...row.key,
    createdByName: row.createdByName,
    createdByEmail: row.createdByEmail,
  }));
  // Status is derived (it depends on the clock), so it is filtered here rather than in SQL.
  if (!query.status) return keys;
  const smallest = await smallestRequestCost(db);
  return keys.filter((key) => keyStatus(key, now, smallest) === query.status);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
