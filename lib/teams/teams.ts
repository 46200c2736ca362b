import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { teamMembers, teams, users, type TeamRole } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { ForbiddenError } from "@/lib/errors/domain-errors";
import { getSignupSettings } from "@/lib/settings/signup-settings";
import { requireTeamMember } from "./membership";
import { usersMayCreateTeams } from "./who-may-create";

export interface TeamSummary {
  id: string;
  name: string;
  role: TeamRole;
  memberCount: number;
  createdAt: Date;
}

export interface TeamMemberView {
  userId: string;
  email: string;
  name: string;
  role: TeamRole;
  joinedAt: Date;
}

/**
 * Under invite-only (or closed) sign-up a team is a way to bring people in, so only platform
 * admins create teams unless the admin allows everyone ("Who may create teams").
 */
async function requireMayCreateTeams(db: Db, actor: Actor): Promise<void> {
  if (actor.user.role === "admin") return;
  const settings = await getSignupSettings(db);
  if (usersMayCreateTeams(settings)) return;
  throw new ForbiddenError(
    "Only platform admins can create teams on this server. An admin can allow everyone under Admin → Settings, “Who may create teams”.",
  );
}

/** Creates a team; its creator becomes its first admin. */
export async function createTeam(db: Db, actor: Actor, name: string): Promise<TeamSummary> {
  await requireMayCreateTeams(db, actor);
  return db.transaction(async (tx) => {
    const [team] = await tx.insert(teams).values({ name, createdBy: actor.user.id }).returning();
    await tx.insert(teamMembers).values({ teamId: team.id, userId: actor.user.id, role: "admin" });
    await recordAudit(tx, actor, {
      action: "team.create",
      targetType: "team",
      targetId: team.id,
      teamId: team.id,
      details: { name },
    });
    return {
      id: team.id,
      name: team.name,
      role: "admin",
      memberCount: 1,
      createdAt: team.createdAt,
    };
  });
}

/** The caller's teams with the caller's role in each, oldest first. */
export async function listTeams(db: Db, actor: Actor): Promise<TeamSummary[]> {
  const mine = await db
    .select({ id: teams.id, name: teams.name, role: teamMembers.role, createdAt: teams.createdAt })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, actor.user.id))
    .orderBy(asc(teams.createdAt), asc(teams.name));
  if (mine.length === 0) return [];
  const counts = await db
    .select({ teamId: teamMembers.teamId, members: count() })
    .from(teamMembers)
    .where(
      inArray(
        teamMembers.teamId,
        mine.map((team) => team.id),
      ),
    )
    .groupBy(teamMembers.teamId);
  const byTeam = new Map(counts.map((row) => [row.teamId, Number(row.members)]));
  return mine.map((team) => ({ ...team, memberCount: byTeam.get(team.id) ?? 0 }));
}

/** One team and its members, for anyone in it. */
export async function getTeam(db: Db, actor: Actor, teamId: string) {
  const role = await requireTeamMember(db, teamId, actor.user.id);
  const [team] = await db.select().from(teams).where(eq(teams.id, teamId)).limit(1);
  const members: TeamMemberView[] = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: teamMembers.role,
      joinedAt: teamMembers.createdAt,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId)))
    .orderBy(asc(teamMembers.createdAt));
  return { id: team.id, name: team.name, role, createdAt: team.createdAt, members };
}
