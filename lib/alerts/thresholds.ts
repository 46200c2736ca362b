import type { BudgetPeriod } from "@/db/schema";
import { periodEndAt, periodStartAt } from "@/lib/keys/budget-period";

export interface KeySpendSnapshot {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  teamId: string | null;
  createdBy: string;
  createdAt: Date;
  spendingLimit: bigint | null;
  budgetPeriod: BudgetPeriod;
  /** Spend counted against the limit in the current period (the lifetime spend for `none`). */
  periodSpend: bigint;
  alertThresholds: number[];
  /** The budget period's start as the gateway counted it (a request in flight at a boundary counts in the period it started in). */
  periodStart?: Date | null;
}

/** The thresholds (percent of the limit) that `spend` has reached, lowest first. None without a limit. */
export function reachedThresholds(
  thresholds: number[],
  spend: bigint,
  limit: bigint | null,
): number[] {
  if (limit === null || limit <= 0n) return [];
  // Integer arithmetic: spend/limit >= t/100, with no rounding of micro-units.
  return [...new Set(thresholds)]
    .filter((t) => t > 0 && spend * 100n >= limit * BigInt(t))
    .sort((a, b) => a - b);
}

/**
 * Which period an alert belongs to: the budget period's UTC start, or the key's creation
 * for a lifetime limit (`none`), so each threshold fires once per period and once ever
 * without one.
 */
export function alertPeriod(
  key: Pick<KeySpendSnapshot, "budgetPeriod" | "createdAt" | "periodStart">,
  now: Date,
): { start: Date; resetsAt: Date | null } {
  if (key.budgetPeriod === "none") return { start: key.createdAt, resetsAt: null };
  const start = key.periodStart ?? periodStartAt(key.budgetPeriod, now)!;
  return { start, resetsAt: periodEndAt(key.budgetPeriod, start) };
}
