import { DomainError } from "@/lib/errors/domain-errors";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invites, teamMembers, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";
import { inviterStillEntitled, teamInviteMayCreateAccount } from "@/lib/invites/invite-gates";
import { hashInviteToken } from "@/lib/invites/invite-token";
import { getSignupSettings } from "@/lib/settings/signup-settings";
import { applyNewAccountDefaults } from "./new-account-defaults";
import { EmailTakenError, normalizeEmail, SIGN_UP_LOCK_ID, type PublicUser } from "./service";

/** Why a sign-up was refused; the page says it in words (a 403 anywhere else). */
export class SignupRefusedError extends DomainError {
  constructor(
    readonly reason: "closed" | "invite_required" | "invite_unusable" | "team_invite_no_account",
  ) {
    super("forbidden", `Sign-up refused: ${reason}`);
  }
}

export interface RegistrationInput {
  name: string;
  email: string;
  password: string;
  /** The token from an invite link, when the person came through one. */
  inviteToken?: string | null;
}

/**
 * Creates an account through the sign-up page, following the install's sign-up mode: the
 * first account of a fresh install always (it becomes the platform admin); after that an
 * invite link (invite-only, the default, or open), or anyone (open), or no one (closed).
 * An invite is consumed in the same transaction as the account is created, so a link works
 * exactly once; the account signs up as the invited email whatever the form said, joins the
 * invite's team, and starts with the balance defaults the admin set.
 */
export async function registerAccount(
  db: Db,
  input: RegistrationInput,
  now = new Date(),
): Promise<PublicUser> {
  const settings = await getSignupSettings(db);
  // Refuse what cannot succeed before paying for a password hash; the transaction decides.
  const [existing] = await db.select({ id: users.id }).from(users).limit(1);
  if (existing && settings.signupMode === "closed") throw new SignupRefusedError("closed");
  if (existing && settings.signupMode === "invite" && !input.inviteToken)
    throw new SignupRefusedError("invite_required");
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SIGN_UP_LOCK_ID})`);
    const [anyone] = await tx.select({ id: users.id }).from(users).limit(1);
    const first = !anyone;

    let invite: typeof invites.$inferSelect | undefined;
    if (!first) {
      if (settings.signupMode === "closed") throw new SignupRefusedError("closed");
      if (input.inviteToken) {
        [invite] = await tx
          .update(invites)
          .set({ acceptedAt: now })
          .where(
            and(
              eq(invites.tokenHash, hashInviteToken(input.inviteToken)),
              isNull(invites.acceptedAt),
              isNull(invites.revokedAt),
              gt(invites.expiresAt, now),
              inviterStillEntitled(),
            ),
          )
          .returning();
        if (!invite) throw new SignupRefusedError("invite_unusable");
        // Invite-only is a gate: a team admin's invite creates an account only where the
        // platform admin allows it (throwing rolls the consumed invite back).
        if (!(await teamInviteMayCreateAccount(tx, invite, settings.teamInvitesCreateAccounts)))
          throw new SignupRefusedError("team_invite_no_account");
      } else if (settings.signupMode !== "open") {
        throw new SignupRefusedError("invite_required");
      }
    }

    const [user] = await tx
      .insert(users)
      .values({
        email: invite?.email ?? normalizeEmail(input.email),
        name: input.name.trim(),
        passwordHash,
        role: first ? "admin" : "user",
      })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role });
    // Throwing rolls the invite back too: it stays usable.
    if (!user) throw new EmailTakenError();

    await applyNewAccountDefaults(tx, user.id, settings);
    if (invite) {
      await tx.update(invites).set({ acceptedBy: user.id }).where(eq(invites.id, invite.id));
      if (invite.teamId) {
        await tx
          .insert(teamMembers)
          .values({ teamId: invite.teamId, userId: user.id, role: invite.teamRole })
          .onConflictDoNothing();
      }
      await recordAudit(
        tx,
        { user, keyId: null },
        {
          action: "invite.accept",
          targetType: "invite",
          targetId: invite.id,
          teamId: invite.teamId,
          details: { email: user.email, role: invite.teamId ? invite.teamRole : undefined },
        },
      );
    }
    return user;
  });
}
