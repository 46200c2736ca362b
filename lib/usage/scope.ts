import { and, eq, isNull, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { teams, usageRecords } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import type { Owner } from "@/lib/billing/balance";
import { loadVisibleKey } from "@/lib/keys/key-access";
import { maskKey } from "@/lib/keys/format";
import { requireTeamMember } from "@/lib/teams/membership";

/**
 * Whose usage a request may read, decided once and applied to every query as `where`:
 * - personal: the caller's personal keys;
 * - a team, for a team admin: every team key (the team's whole spend);
 * - a team, for a member: only the team keys the member created, and no team balance
 *   (members spend the team's money but do not manage it);
 * - one key (`?key=`): a key the caller may see (lib/keys/key-access), whatever its owner.
 * A team the caller is not in, or a key they may not see, is "not found".
 */
export interface UsageScope {
  /** "personal" or the team id: what the owner selector shows. */
  owner: string;
  ownerName: string;
  /** Whose balance pays for this usage. */
  billingOwner: Owner;
  /** The team admin's or the user's own balance; members of a team do not see the team's. */
  canSeeBalance: boolean;
  /** Set when filtered to one key. */
  key: { id: string; name: string; display: string } | null;
  where: SQL;
}

export interface ScopeRequest {
  owner?: string;
  keyId?: string;
}

export async function resolveUsageScope(
  db: Db,
  actor: Actor,
  request: ScopeRequest,
): Promise<UsageScope> {
  const userId = actor.user.id;
  if (request.keyId) {
    const key = await loadVisibleKey(db, actor, request.keyId);
    const base = await resolveUsageScope(db, actor, { owner: key.teamId ?? "personal" });
    return {
      ...base,
      key: { id: key.id, name: key.name, display: maskKey(key.prefix, key.last4) },
      where: eq(usageRecords.keyId, key.id),
    };
  }
  const owner = request.owner ?? "personal";
  if (owner === "personal") {
    return {
      owner,
      ownerName: "Personal",
      billingOwner: { kind: "user", userId },
      canSeeBalance: true,
      key: null,
      where: and(isNull(usageRecords.teamId), eq(usageRecords.userId, userId))!,
    };
  }
  const role = await requireTeamMember(db, owner, userId);
  const [team] = await db
    .select({ name: teams.name })
    .from(teams)
    .where(eq(teams.id, owner))
    .limit(1);
  const teamRows = eq(usageRecords.teamId, owner);
  return {
    owner,
    ownerName: team?.name ?? "Team",
    billingOwner: { kind: "team", teamId: owner },
    canSeeBalance: role === "admin",
    key: null,
    where: role === "admin" ? teamRows : and(teamRows, eq(usageRecords.userId, userId))!,
  };
}
