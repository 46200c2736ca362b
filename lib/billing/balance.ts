import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { billingAccounts, ledgerEntries, type BillingAccount } from "@/db/schema";

/** Who pays: a team key's spend goes to the team, a personal key's to its creator. */
export type Owner = { kind: "user"; userId: string } | { kind: "team"; teamId: string };

export interface Balance {
  accountId: string | null;
  overageEnabled: boolean;
  /** What is left of this month's included usage. */
  includedLeft: bigint;
  /** Prepaid credit left. */
  prepaidLeft: bigint;
}

/** The calendar month (UTC) an included-usage ledger row belongs to, e.g. `2026-11`. */
export function billingPeriod(now: Date): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
}

export function ownerCondition(owner: Owner) {
  return owner.kind === "team"
    ? eq(billingAccounts.teamId, owner.teamId)
    : eq(billingAccounts.userId, owner.userId);
}

export async function findBillingAccount(
  db: Db,
  owner: Owner,
): Promise<BillingAccount | undefined> {
  const [row] = await db.select().from(billingAccounts).where(ownerCondition(owner)).limit(1);
  return row;
}

/** Created on first use with the defaults (no included usage, overage on). */
export async function ensureBillingAccount(db: Db, owner: Owner): Promise<BillingAccount> {
  const existing = await findBillingAccount(db, owner);
  if (existing) return existing;
  await db
    .insert(billingAccounts)
    .values(owner.kind === "team" ? { teamId: owner.teamId } : { userId: owner.userId })
    .onConflictDoNothing();
  const created = await findBillingAccount(db, owner);
  if (!created) throw new Error("billing account could not be created");
  return created;
}

/** What is left in each bucket: the admin's monthly grant plus the ledger's sums. */
export async function bucketsLeft(
  db: Db,
  account: BillingAccount,
  now: Date,
): Promise<Omit<Balance, "accountId" | "overageEnabled">> {
  const period = billingPeriod(now);
  const [sums] = await db
    .select({
      included: sql<string>`coalesce(sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.bucket} = 'included' and ${ledgerEntries.period} = ${period}), 0)`,
      prepaid: sql<string>`coalesce(sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.bucket} = 'prepaid'), 0)`,
    })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.accountId, account.id)));
  const includedLeft = account.includedMonthly + BigInt(sums?.included ?? 0);
  const prepaidLeft = BigInt(sums?.prepaid ?? 0);
  return {
    includedLeft: includedLeft > 0n ? includedLeft : 0n,
    prepaidLeft: prepaidLeft > 0n ? prepaidLeft : 0n,
  };
}

export async function balanceOf(db: Db, owner: Owner, now: Date): Promise<Balance> {
  const account = await findBillingAccount(db, owner);
  if (!account) return { accountId: null, overageEnabled: true, includedLeft: 0n, prepaidLeft: 0n };
  return {
    accountId: account.id,
    overageEnabled: account.overageEnabled,
    ...(await bucketsLeft(db, account, now)),
  };
}
