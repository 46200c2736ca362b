import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { teamMembers, usageRecords } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";

/**
 * Which usage rows a caller may read, the same rule as for keys (lib/keys/key-access.ts)
 * applied to the row's own owner columns (a row's user_id is its key's creator):
 * - a personal key's requests: its creator;
 * - a team key's requests: the team's admins, and the member who created the key while they
 *   are still in the team.
 * A platform admin asking for `all` reads everything.
 *
 * It is returned as branches, one per index the query can walk (user, team), not one OR:
 * each branch is read newest first and stops after a page, so a user's first page costs the
 * same with 10 million rows as with 10 (see `lib/requests/list-requests.ts`).
 */
export type VisibleBranch = SQL;

export async function visibleBranches(db: Db, actor: Actor): Promise<VisibleBranch[]> {
  const userId = actor.user.id;
  const memberships = await db
    .select({ teamId: teamMembers.teamId, role: teamMembers.role })
    .from(teamMembers)
    .where(eq(teamMembers.userId, userId));
  const adminTeams = memberships.filter((m) => m.role === "admin").map((m) => m.teamId);
  const memberTeams = memberships.filter((m) => m.role !== "admin").map((m) => m.teamId);
  const branches: SQL[] = [and(eq(usageRecords.userId, userId), isNull(usageRecords.teamId))!];
  if (adminTeams.length > 0) branches.push(inArray(usageRecords.teamId, adminTeams));
  if (memberTeams.length > 0)
    branches.push(and(inArray(usageRecords.teamId, memberTeams), eq(usageRecords.userId, userId))!);
  return branches;
}

/** May this caller read this one row? The same rule as `visibleBranches`, for the detail. */
export async function mayReadRow(
  db: Db,
  actor: Actor,
  row: { userId: string | null; teamId: string | null },
): Promise<boolean> {
  if (actor.user.role === "admin") return true;
  const userId = actor.user.id;
  if (!row.teamId) return row.userId === userId;
  const [member] = await db
    .select({ role: teamMembers.role })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, row.teamId), eq(teamMembers.userId, userId)))
    .limit(1);
  if (!member) return false;
  return member.role === "admin" || row.userId === userId;
}

/** For a team filter: the caller's branch of that team (404 for a team they are not in). */
export function teamBranch(teamId: string, role: "admin" | "member", userId: string): SQL {
  return role === "admin"
    ? eq(usageRecords.teamId, teamId)
    : and(eq(usageRecords.teamId, teamId), eq(usageRecords.userId, userId))!;
}

export const everything: SQL = sql`true`;
