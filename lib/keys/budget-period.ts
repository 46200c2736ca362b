import type { BudgetPeriod } from "@/db/schema";

/**
 * UTC period boundaries for a key's budget. Pure functions of the time given: callers pass
 * their clock's reading (the gateway's injectable clock), so tests move time instead of
 * waiting for midnight.
 */
export function periodStartAt(period: BudgetPeriod, now: Date): Date | null {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (period) {
    case "none":
      return null;
    case "daily":
      return new Date(Date.UTC(y, m, d));
    case "weekly": {
      // Weeks start on Monday (ISO 8601): getUTCDay() is 0 on Sunday.
      const sinceMonday = (now.getUTCDay() + 6) % 7;
      return new Date(Date.UTC(y, m, d - sinceMonday));
    }
    case "monthly":
      return new Date(Date.UTC(y, m, 1));
  }
}

/** When the period containing `now` ends (the next boundary), or null for `none`. */
export function periodEndAt(period: BudgetPeriod, now: Date): Date | null {
  const start = periodStartAt(period, now);
  if (!start) return null;
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const d = start.getUTCDate();
  if (period === "daily") return new Date(Date.UTC(y, m, d + 1));
  if (period === "weekly") return new Date(Date.UTC(y, m, d + 7));
  return new Date(Date.UTC(y, m + 1, 1));
}

export interface PeriodFields {
  budgetPeriod: BudgetPeriod;
  periodStart: Date | null;
  periodSpend: bigint;
}

/**
 * The spend that counts against the limit at `now`: the stored period spend while its
 * period is current, nothing once a boundary has passed (a key idle across the boundary has
 * not been written since, yet its new period is empty).
 */
export function currentPeriodSpend(key: PeriodFields, now: Date): bigint {
  if (key.budgetPeriod === "none") return key.periodSpend;
  const start = periodStartAt(key.budgetPeriod, now)!;
  if (!key.periodStart || key.periodStart.getTime() < start.getTime()) return 0n;
  return key.periodSpend;
}
