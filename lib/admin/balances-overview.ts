import { safeSearch } from "@/lib/http/search-param";
import { and, asc, eq, ilike, isNull, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { billingAccounts, teams, users, type BillingAccount } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import type { Owner } from "@/lib/billing/balance";
import {
  breakdownsOf,
  emptyBreakdown,
  type BalanceBreakdown,
} from "@/lib/billing/balance-breakdown";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";

/** One row of Admin → Balances: a user or a team, and its balance this month. */
export interface OwnerBalance {
  owner: Owner;
  name: string;
  /** The user's email; null for a team. */
  email: string | null;
  disabled: boolean;
  balance: BalanceBreakdown;
}

const LIMIT = 500;

export function requireBalancesAdmin(actor: Actor): void {
  requirePlatformAdmin(actor, "see balances");
}

function likePattern(search: string): string {
  return `%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Every user and team (teams first), optionally filtered by name or email, each with its balance. */
export async function listOwnerBalances(
  db: Db,
  actor: Actor,
  search = "",
  now = new Date(),
): Promise<OwnerBalance[]> {
  requireBalancesAdmin(actor);
  search = safeSearch(search);
  const pattern = search.trim() ? likePattern(search) : null;
  const [teamRows, userRows] = await Promise.all([
    db
      .select({ id: teams.id, name: teams.name, account: billingAccounts })
      .from(teams)
      .leftJoin(billingAccounts, eq(billingAccounts.teamId, teams.id))
      .where(and(isNull(teams.deletedAt), pattern ? ilike(teams.name, pattern) : undefined))
      .orderBy(asc(teams.name), asc(teams.id))
      .limit(LIMIT),
    db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        disabledAt: users.disabledAt,
        account: billingAccounts,
      })
      .from(users)
      .leftJoin(billingAccounts, eq(billingAccounts.userId, users.id))
      .where(pattern ? or(ilike(users.name, pattern), ilike(users.email, pattern)) : undefined)
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(LIMIT),
  ]);
  const accounts = [...teamRows, ...userRows]
    .map((r) => r.account)
    .filter((a): a is BillingAccount => a !== null);
  const breakdowns = await breakdownsOf(db, accounts, now);
  const balanceOf = (account: BillingAccount | null) =>
    (account ? breakdowns.get(account.id) : undefined) ?? emptyBreakdown(now);
  return [
    ...teamRows.map((t) => ({
      owner: { kind: "team", teamId: t.id } as Owner,
      name: t.name,
      email: null,
      disabled: false,
      balance: balanceOf(t.account),
    })),
    ...userRows.map((u) => ({
      owner: { kind: "user", userId: u.id } as Owner,
      name: u.name,
      email: u.email,
      disabled: u.disabledAt !== null,
      balance: balanceOf(u.account),
    })),
  ];
}
