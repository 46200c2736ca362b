import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { teamMembers, users, type TeamRole } from "@/db/schema";
import type { Actor } from "@/lib/api/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { FieldError, NotFoundError } from "@/lib/errors/domain-errors";
import { normalizeEmail } from "@/lib/users/service";
import { isUuid, requireTeamAdmin, requireTeamMember } from "./membership";
import type { TeamMemberView } from "./teams";

/**
 * Serialises membership changes of one team, so that two admins demoting each other at
 * the same moment cannot leave the team with none.
 */
async function lockTeam(db: Db, teamId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`team:${teamId}`}))`);
}

export async function addMember(db: Db, actor: Actor, teamId: string, input: { email: string; role: TeamRole }): Promise<TeamMemberView> {
  await requireTeamAdmin(db, teamId, actor.user.id, "add members");
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.email, normalizeEmail(input.email)))
    .limit(1);
  if (!user) throw new FieldError("email", "No account uses this email. Ask them to sign up first, then add them.");
  const [row] = await db
    .insert(teamMembers)
    .values({ teamId, userId: user.id, role: input.role })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new FieldError("email", "This person is already a member of the team.", 409);
  await recordAudit(db, actor, {
    action: "team.member.add",
    targetType: "team_member",
    targetId: user.id,
    teamId,
    details: { email: user.email, role: input.role },
  });
  return { userId: user.id, email: user.email, name: user.name, role: row.role, joinedAt: row.createdAt };
}

export async function changeMemberRole(db: Db, actor: Actor, teamId: string, userId: string, role: TeamRole): Promise<void> {
  await requireTeamAdmin(db, teamId, actor.user.id, "change roles");
  await db.transaction(async (tx) => {
    await lockTeam(tx, teamId);
    const current = await memberRole(tx, teamId, userId);
    if (current === role) return;
    if (current === "admin" && (await adminCount(tx, teamId)) <= 1) {
      throw new FieldError("role", "A team needs at least one admin. Make another member an admin first.", 409);
    }
    await tx.update(teamMembers).set({ role }).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
    await recordAudit(tx, actor, {
      action: "team.member.role",
      targetType: "team_member",
      targetId: userId,
      teamId,
      details: { from: current, to: role },
    });
  });
}

/** Admins remove anyone; a member may remove only themself (leave). The last admin stays. */
export async function removeMember(db: Db, actor: Actor, teamId: string, userId: string): Promise<void> {
  if (userId === actor.user.id) await requireTeamMember(db, teamId, actor.user.id);
  else await requireTeamAdmin(db, teamId, actor.user.id, "remove members");
  await db.transaction(async (tx) => {
    await lockTeam(tx, teamId);
    const current = await memberRole(tx, teamId, userId);
    if (current === "admin" && (await adminCount(tx, teamId)) <= 1) {
      throw new FieldError("user_id", "A team needs at least one admin. Make another member an admin before removing this one.", 409);
    }
    await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
    await recordAudit(tx, actor, { action: "team.member.remove", targetType: "team_member", targetId: userId, teamId, details: { role: current } });
  });
}

async function memberRole(db: Db, teamId: string, userId: string): Promise<TeamRole> {
  if (!isUuid(userId)) throw new NotFoundError("member");
  const [row] = await db
    .select({ role: teamMembers.role })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
    .limit(1);
  if (!row) throw new NotFoundError("member");
  return row.role;
}

async function adminCount(db: Db, teamId: string): Promise<number> {
  const rows = await db
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, "admin")));
  return rows.length;
}
