import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { ledgerEntries, type BillingAccount } from "@/db/schema";
import { billingPeriod, findBillingAccount, type Owner } from "./balance";

/**
 * What a user (or a team admin) sees of a balance this month, every figure derived from the
 * ledger: the included grant is the admin's setting, what was drawn from it this month is
 * the sum of this month's `included` rows, prepaid is the sum of all `prepaid` rows (credit
 * carries over), overage is the sum of this month's `overage` rows.
 */
export interface BalanceBreakdown {
  period: string;
  includedMonthly: bigint;
  includedUsed: bigint;
  includedLeft: bigint;
  prepaidLeft: bigint;
  overageThisMonth: bigint;
  overageEnabled: boolean;
  /** Overage is off and nothing is left: `/v1` answers 402 insufficient_balance. */
  blocked: boolean;
}

/** An owner nobody has configured yet: no grant, no credit, overage on (the account defaults). */
export function emptyBreakdown(now: Date): BalanceBreakdown {
  return fromSums(null, { included: 0n, prepaid: 0n, overage: 0n }, now);
}

export function monthBounds(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

interface Sums {
  included: bigint;
  prepaid: bigint;
  overage: bigint;
}

function fromSums(
  account: Pick<BillingAccount, "includedMonthly" | "overageEnabled"> | null,
  sums: Sums,
  now: Date,
): BalanceBreakdown {
  const includedMonthly = account?.includedMonthly ?? 0n;
  const includedUsed = -sums.included;
  const rawIncludedLeft = includedMonthly + sums.included;
  const includedLeft = rawIncludedLeft > 0n ? rawIncludedLeft : 0n;
  const prepaidLeft = sums.prepaid > 0n ? sums.prepaid : 0n;
  const overageEnabled = account?.overageEnabled ?? true;
  return {
    period: billingPeriod(now),
    includedMonthly,
    includedUsed,
    includedLeft,
    prepaidLeft,
    overageThisMonth: -sums.overage,
    overageEnabled,
    blocked: !overageEnabled && includedLeft + prepaidLeft <= 0n,
  };
}

/** Breakdowns of many accounts in one grouped query (the admin lists). Keyed by account id. */
export async function breakdownsOf(
  db: Db,
  accounts: BillingAccount[],
  now: Date,
): Promise<Map<string, BalanceBreakdown>> {
  const out = new Map<string, BalanceBreakdown>();
  if (accounts.length === 0) return out;
  const period = billingPeriod(now);
  const { start, end } = monthBounds(now);
  const rows = await db
    .select({
      accountId: ledgerEntries.accountId,
      included: sql<string>`coalesce(sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.bucket} = 'included' and ${ledgerEntries.period} = ${period}), 0)::bigint`,
      prepaid: sql<string>`coalesce(sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.bucket} = 'prepaid'), 0)::bigint`,
      overage: sql<string>`coalesce(sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.bucket} = 'overage' and ${ledgerEntries.createdAt} >= ${start.toISOString()} and ${ledgerEntries.createdAt} < ${end.toISOString()}), 0)::bigint`,
    })
    .from(ledgerEntries)
    .where(
      inArray(
        ledgerEntries.accountId,
        accounts.map((a) => a.id),
      ),
    )
    .groupBy(ledgerEntries.accountId);
  const sums = new Map(
    rows.map((r) => [
      r.accountId,
      { included: BigInt(r.included), prepaid: BigInt(r.prepaid), overage: BigInt(r.overage) },
    ]),
  );
  for (const account of accounts)
    out.set(
      account.id,
      fromSums(account, sums.get(account.id) ?? { included: 0n, prepaid: 0n, overage: 0n }, now),
    );
  return out;
}

/** One owner's breakdown. Callers authorize first: this reads any owner's balance. */
export async function balanceBreakdown(db: Db, owner: Owner, now: Date): Promise<BalanceBreakdown> {
  const account = await findBillingAccount(db, owner);
  if (!account) return emptyBreakdown(now);
  const map = await breakdownsOf(db, [account], now);
  return map.get(account.id) ?? emptyBreakdown(now);
}
