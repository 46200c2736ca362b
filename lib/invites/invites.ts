import { and, desc, eq, gt, isNull, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invites, teamMembers, teams, users, type Invite, type TeamRole } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { isUuid, requireTeamAdmin } from "@/lib/teams/membership";
import { normalizeEmail } from "@/lib/users/service";
import { inviterStillEntitled } from "./invite-gates";
import { handleDuplicateInvite, refuseExistingAccount, type DuplicateInvites } from "./duplicates";
import { hashInviteToken, newInviteToken } from "./invite-token";

export const INVITE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export interface InviteView {
  id: string;
  email: string;
  teamId: string | null;
  teamName: string | null;
  teamRole: TeamRole;
  invitedByName: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface CreatedInvite {
  invite: InviteView;
  /** The raw token: returned once, here, and never stored. */
  token: string;
}

export interface InviteInput {
  email: string;
  teamId?: string | null;
  teamRole?: TeamRole;
  /** Set when the invitee already has an account and was added at once (see addMember). */
  acceptedBy?: string;
  /** The dashboard's forms: refuse or replace a waiting invite to the same email (see duplicates.ts). */
  duplicates?: DuplicateInvites;
}

/**
 * Invites an email: to the install (platform admins) or to a team (its admins). The link
 * is shown once, works once and expires in 7 days.
 */
export async function createInvite(
  db: Db,
  actor: Actor,
  input: InviteInput,
  now = new Date(),
): Promise<CreatedInvite> {
  if (input.teamId) await requireTeamAdmin(db, input.teamId, actor.user.id, "invite people");
  else requirePlatformAdmin(actor, "invite people to this install");
  if (input.duplicates && !input.acceptedBy) {
    if (!input.teamId) await refuseExistingAccount(db, input.email);
    await handleDuplicateInvite(db, input.email, input.teamId ?? null, input.duplicates);
  }
  const token = newInviteToken();
  const [row] = await db
    .insert(invites)
    .values({
      email: normalizeEmail(input.email),
      tokenHash: hashInviteToken(token),
      teamId: input.teamId ?? null,
      teamRole: input.teamRole ?? "member",
      invitedBy: actor.user.id,
      expiresAt: new Date(now.getTime() + INVITE_LIFETIME_MS),
      acceptedAt: input.acceptedBy ? now : null,
      acceptedBy: input.acceptedBy ?? null,
    })
    .returning();
  await recordAudit(db, actor, {
    action: "invite.create",
    targetType: "invite",
    targetId: row.id,
    teamId: row.teamId,
    details: { email: row.email, role: row.teamId ? row.teamRole : undefined },
  });
  const [view] = await viewsOf(db, eq(invites.id, row.id));
  return { invite: view, token };
}

/**
 * Invites still waiting (not used, revoked or expired): every one for a platform admin
 * (or one team's with `teamId`), a team's for its admins.
 */
export async function listPendingInvites(
  db: Db,
  actor: Actor,
  teamId?: string,
  now = new Date(),
): Promise<InviteView[]> {
  if (teamId) await requireTeamAdmin(db, teamId, actor.user.id, "see invites");
  else requirePlatformAdmin(actor, "see the install's invites");
  return viewsOf(db, and(pending(now), teamId ? eq(invites.teamId, teamId) : undefined));
}

/** Revokes a pending invite: its link stops working at once. Team admins revoke their team's. */
export async function revokeInvite(db: Db, actor: Actor, id: string): Promise<void> {
  if (!isUuid(id)) throw new NotFoundError("invite");
  const [invite] = await db.select().from(invites).where(eq(invites.id, id)).limit(1);
  if (!invite || !(await mayManage(db, actor, invite))) throw new NotFoundError("invite");
  if (invite.revokedAt || invite.acceptedAt) return;
  await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(and(eq(invites.id, id), isNull(invites.revokedAt)));
  await recordAudit(db, actor, {
    action: "invite.revoke",
    targetType: "invite",
    targetId: id,
    teamId: invite.teamId,
    details: { email: invite.email },
  });
}

/** The invite behind a link, if it can still be used (for the sign-up page; nothing is consumed). */
export async function findUsableInvite(
  db: Db,
  token: string,
  now = new Date(),
): Promise<(Invite & { teamName: string | null }) | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({ invite: invites, teamName: teams.name })
    .from(invites)
    .leftJoin(teams, eq(teams.id, invites.teamId))
    .where(and(eq(invites.tokenHash, hashInviteToken(token)), pending(now)))
    .limit(1);
  return row ? { ...row.invite, teamName: row.teamName } : null;
}

export function pending(now: Date): SQL {
  return and(
    isNull(invites.acceptedAt),
    isNull(invites.revokedAt),
    gt(invites.expiresAt, now),
    inviterStillEntitled(),
  )!;
}

async function mayManage(db: Db, actor: Actor, invite: Invite): Promise<boolean> {
  if (actor.user.role === "admin") return true;
  if (!invite.teamId) return false;
  const [row] = await db
    .select({ role: teamMembers.role })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, invite.teamId), eq(teamMembers.userId, actor.user.id)))
    .limit(1);
  return row?.role === "admin";
}

async function viewsOf(db: Db, where: SQL | undefined): Promise<InviteView[]> {
  const rows = await db
    .select({
      id: invites.id,
      email: invites.email,
      teamId: invites.teamId,
      teamName: teams.name,
      teamRole: invites.teamRole,
      invitedByName: users.name,
      createdAt: invites.createdAt,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .innerJoin(users, eq(users.id, invites.invitedBy))
    .leftJoin(teams, eq(teams.id, invites.teamId))
    .where(where)
    .orderBy(desc(invites.createdAt))
    .limit(500);
  return rows;
}
