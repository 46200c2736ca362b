import { safeSearch } from "@/lib/http/search-param";
import { and, asc, eq, ilike, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  billingAccounts,
  teamMembers,
  teams,
  users,
  type BillingAccount,
  type TeamRole,
} from "@/db/schema";
import type { PayloadCaptureSetting } from "@/db/schema/payload-capture";
import type { Actor } from "@/lib/core/actor";
import {
  breakdownsOf,
  emptyBreakdown,
  type BalanceBreakdown,
} from "@/lib/billing/balance-breakdown";
import { requireBalancesAdmin } from "./balances-overview";

/** Admin → Teams: every team with its members and its balance this month. */
export interface TeamOverview {
  id: string;
  name: string;
  createdAt: Date;
  members: { userId: string; name: string; email: string; role: TeamRole }[];
  balance: BalanceBreakdown;
  /** The team's own payload capture setting (null: the instance's applies). */
  payloadCapture: PayloadCaptureSetting | null;
}

export async function listTeamsOverview(
  db: Db,
  actor: Actor,
  search = "",
  now = new Date(),
): Promise<TeamOverview[]> {
  requireBalancesAdmin(actor);
  search = safeSearch(search);
  const pattern = search.trim() ? `%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await db
    .select({
      id: teams.id,
      name: teams.name,
      createdAt: teams.createdAt,
      payloadCapture: teams.payloadCapture,
      account: billingAccounts,
    })
    .from(teams)
    .leftJoin(billingAccounts, eq(billingAccounts.teamId, teams.id))
    .where(and(isNull(teams.deletedAt), pattern ? ilike(teams.name, pattern) : undefined))
    .orderBy(asc(teams.name), asc(teams.id))
    .limit(200);
  if (rows.length === 0) return [];
  const members = await db
    .select({
      teamId: teamMembers.teamId,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: teamMembers.role,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(
      inArray(
        teamMembers.teamId,
        rows.map((r) => r.id),
      ),
    )
    // Admins first, then by when they joined: who runs the team is what an admin looks for.
    .orderBy(asc(teamMembers.role), asc(teamMembers.createdAt));
  const accounts = rows.map((r) => r.account).filter((a): a is BillingAccount => a !== null);
  const breakdowns = await breakdownsOf(db, accounts, now);
  return rows.map((team) => ({
    id: team.id,
    name: team.name,
    createdAt: team.createdAt,
    payloadCapture: team.payloadCapture,
    members: members
      .filter((m) => m.teamId === team.id)
      .map(({ teamId: _t, ...m }) => (void _t, m)),
    balance: (team.account ? breakdowns.get(team.account.id) : undefined) ?? emptyBreakdown(now),
  }));
}
