import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { teamMembers, type TeamRole } from "@/db/schema";
import { ForbiddenError, NotFoundError } from "@/lib/errors/domain-errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a syntactically valid id; anything else is simply "not found" (and never reaches SQL as a uuid). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export async function teamRoleOf(db: Db, teamId: string, userId: string): Promise<TeamRole | null> {
  if (!isUuid(teamId)) return null;
  const [row] = await db
    .select({ role: teamMembers.role })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
    .limit(1);
  return row?.role ?? null;
}

/** A non-member learns nothing about a team, not even that it exists. */
export async function requireTeamMember(db: Db, teamId: string, userId: string): Promise<TeamRole> {
  const role = await teamRoleOf(db, teamId, userId);
  if (!role) throw new NotFoundError("team");
  return role;
}

export async function requireTeamAdmin(
  db: Db,
  teamId: string,
  userId: string,
  doing: string,
): Promise<void> {
  const role = await requireTeamMember(db, teamId, userId);
  if (role !== "admin") throw new ForbiddenError(`Only a team admin can ${doing}.`);
}
