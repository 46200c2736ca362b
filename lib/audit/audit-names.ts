import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, models, teams, users } from "@/db/schema";
import { isUuid } from "@/lib/teams/membership";
import type { AuditNames } from "./audit-sentence";

/**
 * The names behind a page of entries' ids (people, teams, keys, models), in four queries.
 * Only ids already on the page, which the viewer may read, are looked up.
 */
export async function loadAuditNames(
  db: Db,
  entries: { targetType: string; targetId: string | null; teamId: string | null }[],
): Promise<AuditNames> {
  const ids = (type: string[]) => [
    ...new Set(
      entries
        .map((e) => (type.includes(e.targetType) ? e.targetId : null))
        .filter((id): id is string => !!id && isUuid(id)),
    ),
  ];
  const userIds = ids(["user", "team_member"]);
  const keyIds = ids(["api_key"]);
  const modelIds = ids(["model"]);
  const teamIds = [...new Set(entries.map((e) => e.teamId).filter((id): id is string => !!id))];
  const [u, t, k, m] = await Promise.all([
    userIds.length
      ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds))
      : [],
    teamIds.length
      ? db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, teamIds))
      : [],
    keyIds.length
      ? db
          .select({ id: apiKeys.id, name: apiKeys.name })
          .from(apiKeys)
          .where(inArray(apiKeys.id, keyIds))
      : [],
    modelIds.length
      ? db
          .select({ id: models.id, name: models.name })
          .from(models)
          .where(inArray(models.id, modelIds))
      : [],
  ]);
  const map = (rows: { id: string; name: string }[]) => new Map(rows.map((r) => [r.id, r.name]));
  return { users: map(u), teams: map(t), keys: map(k), models: map(m) };
}
