import { eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { teams, users, type Invite } from "@/db/schema";
import type { TeamInviteAccountMode } from "@/db/schema";

/**
 * An invite speaks for the person who made it only while she may still make it: a
 * platform invite while its inviter is a platform admin, a team invite while its inviter
 * is an admin of that team, and neither once her account is disabled. Removing or
 * demoting a team admin also revokes her pending invites (lib/teams/members.ts); this
 * condition holds even for a race with that, or a demotion of a platform admin.
 */
export function inviterStillEntitled(): SQL {
  // Table-qualified by hand: inside an UPDATE drizzle writes columns bare, and a bare
  // "team_id" in the subquery would bind to team_members' own column.
  return sql`(
    ("invites"."team_id" is null and exists (
      select 1 from "users" u
      where u.id = "invites"."invited_by" and u.disabled_at is null and u.role = 'admin'))
    or exists (
      select 1 from "team_members" m join "users" u on u.id = m.user_id
      where m.team_id = "invites"."team_id" and m.user_id = "invites"."invited_by"
        and m.role = 'admin' and u.disabled_at is null)
  )`;
}

/**
 * Whether a team invite may create a new account (setting `team_invites_create_accounts`):
 * never; in teams a platform admin created (the default); always. An invite made by a
 * platform admin always may: she could invite the person to the install anyway.
 */
export async function teamInviteMayCreateAccount(
  db: Db,
  invite: Invite,
  mode: TeamInviteAccountMode,
): Promise<boolean> {
  if (!invite.teamId) return true;
  const [inviter] = await db
    .select({ role: users.role })
    .from(users)
    .where(eq(users.id, invite.invitedBy))
    .limit(1);
  if (inviter?.role === "admin") return true;
  if (mode === "always") return true;
  if (mode === "never") return false;
  const [creator] = await db
    .select({ role: users.role })
    .from(teams)
    .innerJoin(users, eq(users.id, teams.createdBy))
    .where(eq(teams.id, invite.teamId))
    .limit(1);
  return creator?.role === "admin";
}
