import type { BudgetPeriod } from "@/db/schema";
import { currentPeriodSpend } from "./budget-period";

/** A key's status, derived, in this precedence: revoked > expired > paused > limit_reached > active. */
export const keyStatuses = ["active", "limit_reached", "paused", "expired", "revoked"] as const;
export type KeyStatus = (typeof keyStatuses)[number];

export interface KeyStatusFields {
  revokedAt: Date | null;
  expiresAt: Date | null;
  spendingLimit: bigint | null;
  /** Lifetime spend: what the limit is held against when the key has no budget period. */
  spend: bigint;
  pausedAt?: Date | null;
  /** With a budget period, the limit is held against this period's spend only. */
  budgetPeriod?: BudgetPeriod;
  periodStart?: Date | null;
  periodSpend?: bigint;
}

/** What counts against the spending limit at `now`: this period's spend, or the lifetime spend. */
export function spendAgainstLimit(key: KeyStatusFields, now: Date): bigint {
  if (!key.budgetPeriod || key.budgetPeriod === "none" || key.periodSpend === undefined)
    return key.spend;
  return currentPeriodSpend(
    {
      budgetPeriod: key.budgetPeriod,
      periodStart: key.periodStart ?? null,
      periodSpend: key.periodSpend,
    },
    now,
  );
}

/**
 * `smallestRequestCost` (lib/keys/smallest-request.ts): a key whose remaining budget cannot
 * pay for even the cheapest request is refused every request, so it reads limit_reached.
 * The default, 1, is the bare rule: spend has reached the limit. With a budget period,
 * limit_reached lasts until the period's end.
 */
export function keyStatus(
  key: KeyStatusFields,
  now: Date = new Date(),
  smallestRequestCost = 1n,
): KeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  if (key.pausedAt) return "paused";
  if (
    key.spendingLimit !== null &&
    key.spendingLimit - spendAgainstLimit(key, now) <
      (smallestRequestCost > 1n ? smallestRequestCost : 1n)
  )
    return "limit_reached";
  return "active";
}
