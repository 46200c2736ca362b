import { and, count, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, teamMembers, users, type TeamRole } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { FieldError, NotFoundError } from "@/lib/errors/domain-errors";
import type { DuplicateInvites } from "@/lib/invites/duplicates";
import { createInvite } from "@/lib/invites/invites";
import { invalidateKey } from "@/lib/keys/invalidate";
import { normalizeEmail } from "@/lib/users/service";
import { withdrawAdminGrants } from "./admin-grants";
import { isUuid, requireTeamAdmin, requireTeamMember } from "./membership";

/**
 * Serialises membership changes of one team, so that two admins demoting each other at
 * the same moment cannot leave the team with none.
 */
async function lockTeam(db: Db, teamId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`team:${teamId}`}))`);
}

export interface MemberInvite {
  email: string;
  role: TeamRole;
  /** The raw invite token, shown once: it signs up an email that has no account yet. */
  token: string;
  expiresAt: Date;
  /** The email has an account, which joined at once: the token is spent, the dashboard shows no link. */
  joined: boolean;
  /** The account's name when it joined. */
  name?: string;
}

/**
 * Adds a person by email, answering alike whether or not an account uses it (so the form
 * cannot be used to learn who has an account): an existing account joins at once, as
 * before; for an unknown email a pending team invite is created, which takes effect when
 * they sign up through its link. Both come back with a link (spent at once for an
 * existing account), so the two answers cannot be told apart.
 */
export async function addMember(
  db: Db,
  actor: Actor,
  teamId: string,
  input: { email: string; role: TeamRole },
  duplicates?: DuplicateInvites,
): Promise<MemberInvite> {
  await requireTeamAdmin(db, teamId, actor.user.id, "add members");
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.email, normalizeEmail(input.email)))
    .limit(1);
  if (user) {
    const [row] = await db
      .insert(teamMembers)
      .values({ teamId, userId: user.id, role: input.role })
      .onConflictDoNothing()
      .returning();
    // Members are listed to the team's admins already: saying so reveals nothing new.
    if (!row) throw new FieldError("email", "This person is already a member of the team.", 409);
    await recordAudit(db, actor, {
      action: "team.member.add",
      targetType: "team_member",
      targetId: user.id,
      teamId,
      details: { email: user.email, role: input.role },
    });
  }
  const { invite, token } = await createInvite(db, actor, {
    email: input.email,
    teamId,
    teamRole: input.role,
    acceptedBy: user?.id,
    duplicates,
  });
  return {
    email: invite.email,
    role: input.role,
    token,
    expiresAt: invite.expiresAt,
    joined: Boolean(user),
    name: user?.name,
  };
}

export async function changeMemberRole(
  db: Db,
  actor: Actor,
  teamId: string,
  userId: string,
  role: TeamRole,
): Promise<{ revokedInvites: number; disabledWebhooks: number }> {
  await requireTeamAdmin(db, teamId, actor.user.id, "change roles");
  return db.transaction(async (tx) => {
    await lockTeam(tx, teamId);
    const current = await memberRole(tx, teamId, userId);
    if (current === role) return { revokedInvites: 0, disabledWebhooks: 0 };
    if (current === "admin" && (await adminCount(tx, teamId)) <= 1) {
      throw new FieldError(
        "role",
        "A team needs at least one admin. Make another member an admin first.",
        409,
      );
    }
    await tx
      .update(teamMembers)
      .set({ role })
      .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
    // A demoted admin's invites and webhooks no longer speak for the team.
    const withdrawn =
      current === "admin"
        ? await withdrawAdminGrants(tx, teamId, userId)
        : { revokedInvites: 0, disabledWebhooks: 0 };
    await recordAudit(tx, actor, {
      action: "team.member.role",
      targetType: "team_member",
      targetId: userId,
      teamId,
      details:
        current === "admin"
          ? {
              from: current,
              to: role,
              revoked_invites: withdrawn.revokedInvites,
              disabled_webhooks: withdrawn.disabledWebhooks,
            }
          : { from: current, to: role },
    });
    return withdrawn;
  });
}

/**
 * Admins remove anyone; a member may remove only themself (leave). The last admin stays.
 * The team keys the member created are revoked with it: they charge the team, and the
 * member could no longer see them to stop them. Returns how many were revoked.
 */
export async function removeMember(
  db: Db,
  actor: Actor,
  teamId: string,
  userId: string,
): Promise<{ revokedKeys: number; revokedInvites: number; disabledWebhooks: number }> {
  if (userId === actor.user.id) await requireTeamMember(db, teamId, actor.user.id);
  else await requireTeamAdmin(db, teamId, actor.user.id, "remove members");
  const revoked = await db.transaction(async (tx) => {
    await lockTeam(tx, teamId);
    const current = await memberRole(tx, teamId, userId);
    if (current === "admin" && (await adminCount(tx, teamId)) <= 1) {
      throw new FieldError(
        "user_id",
        "A team needs at least one admin. Make another member an admin before removing this one.",
        409,
      );
    }
    await tx
      .delete(teamMembers)
      .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
    const keys = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedBy: actor.user.id })
      .where(
        and(eq(apiKeys.teamId, teamId), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)),
      )
      .returning({ id: apiKeys.id, name: apiKeys.name });
    // Whatever she set up as an admin stops speaking for the team with her.
    const withdrawn = await withdrawAdminGrants(tx, teamId, userId);
    await recordAudit(tx, actor, {
      action: "team.member.remove",
      targetType: "team_member",
      targetId: userId,
      teamId,
      details: {
        role: current,
        revoked_keys: keys.length,
        // What she set up as a team admin (invites, webhooks): counted when there was any.
        ...(withdrawn.revokedInvites + withdrawn.disabledWebhooks > 0
          ? {
              revoked_invites: withdrawn.revokedInvites,
              disabled_webhooks: withdrawn.disabledWebhooks,
            }
          : {}),
      },
    });
    for (const key of keys) {
      await recordAudit(tx, actor, {
        action: "key.revoke",
        targetType: "api_key",
        targetId: key.id,
        teamId,
        details: { name: key.name, reason: "member_removed" },
      });
    }
    return { keys, withdrawn };
  });
  // After the commit: the gateway's caches (here and in other processes) drop the keys.
  for (const key of revoked.keys) await invalidateKey(db, key.id);
  return { revokedKeys: revoked.keys.length, ...revoked.withdrawn };
}

/** Active team keys each member created, for the confirmation before a removal. */
export async function activeTeamKeysByMember(db: Db, teamId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ userId: apiKeys.createdBy, keys: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.teamId, teamId), isNull(apiKeys.revokedAt)))
    .groupBy(apiKeys.createdBy);
  return new Map(rows.map((row) => [row.userId, Number(row.keys)]));
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
