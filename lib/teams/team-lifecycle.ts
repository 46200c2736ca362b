import { and, count, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, invites, teamMembers, teams, webhooks } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { invalidateKey } from "@/lib/keys/invalidate";
import { requireTeamAdmin } from "./membership";

/** Renames a team (its admins). */
export async function renameTeam(db: Db, actor: Actor, teamId: string, name: string) {
  await requireTeamAdmin(db, teamId, actor.user.id, "rename the team");
  const [before] = await db
    .select({ name: teams.name })
    .from(teams)
    .where(eq(teams.id, teamId))
    .limit(1);
  if (before.name === name) return;
  await db.update(teams).set({ name }).where(eq(teams.id, teamId));
  await recordAudit(db, actor, {
    action: "team.rename",
    targetType: "team",
    targetId: teamId,
    teamId,
    details: { from: before.name, to: name },
  });
}

/** What deleting a team takes with it, for the confirmation. */
export async function teamDeletionImpact(db: Db, teamId: string) {
  const [keys] = await db
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.teamId, teamId), isNull(apiKeys.revokedAt)));
  return { activeKeys: Number(keys?.n ?? 0) };
}

/**
 * Deletes a team (its admins): every team key is revoked at once (they charge a team that
 * no longer exists), pending invites stop working, its webhooks go and its members leave.
 * The row stays, marked deleted, so the keys' usage and the audit trail keep its name.
 */
export async function deleteTeam(
  db: Db,
  actor: Actor,
  teamId: string,
): Promise<{ revokedKeys: number }> {
  await requireTeamAdmin(db, teamId, actor.user.id, "delete the team");
  const revoked = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`team:${teamId}`}))`);
    const [team] = await tx
      .update(teams)
      .set({ deletedAt: sql`now()` })
      .where(and(eq(teams.id, teamId), isNull(teams.deletedAt)))
      .returning({ name: teams.name });
    if (!team) return [];
    const keys = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedBy: actor.user.id })
      .where(and(eq(apiKeys.teamId, teamId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    await tx
      .update(invites)
      .set({ revokedAt: sql`now()` })
      .where(
        and(eq(invites.teamId, teamId), isNull(invites.revokedAt), isNull(invites.acceptedAt)),
      );
    await tx.delete(webhooks).where(eq(webhooks.teamId, teamId));
    await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
    await recordAudit(tx, actor, {
      action: "team.delete",
      targetType: "team",
      targetId: teamId,
      teamId,
      details: { name: team.name, revoked_keys: keys.length },
    });
    return keys;
  });
  for (const key of revoked) await invalidateKey(db, key.id);
  return { revokedKeys: revoked.length };
}
