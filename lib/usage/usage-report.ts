import type { Db } from "@/db/client";
import type { Actor } from "@/lib/core/actor";
import { balanceBreakdown, type BalanceBreakdown } from "@/lib/billing/balance-breakdown";
import {
  usageByDay,
  usageByKey,
  usageByModel,
  usageTotals,
  type DayUsage,
  type KeyUsage,
  type ModelUsage,
  type UsageTotals,
} from "./aggregate";
import type { UsageRange } from "./range";
import { recentRequests, type RequestRow } from "./requests";
import { resolveUsageScope, type UsageScope } from "./scope";

export interface UsageReport {
  scope: UsageScope;
  range: UsageRange;
  totals: UsageTotals;
  days: DayUsage[];
  byKey: KeyUsage[];
  byModel: ModelUsage[];
  recent: RequestRow[];
  /** Null where the caller may not see the owner's balance (a team member). */
  balance: BalanceBreakdown | null;
}

export interface UsageFilter {
  owner?: string;
  keyId?: string;
  range: UsageRange;
}

/** Everything the Usage page and `GET /api/v1/usage` show, for what the actor may see. */
export async function usageReport(
  db: Db,
  actor: Actor,
  filter: UsageFilter,
  options: { recent?: number; now?: Date } = {},
): Promise<UsageReport> {
  const scope = await resolveUsageScope(db, actor, { owner: filter.owner, keyId: filter.keyId });
  const { range } = filter;
  const [totals, days, byKey, byModel, recent, balance] = await Promise.all([
    usageTotals(db, scope, range),
    usageByDay(db, scope, range),
    usageByKey(db, scope, range),
    usageByModel(db, scope, range),
    options.recent === 0
      ? Promise.resolve([])
      : recentRequests(db, scope, range, options.recent ?? 50),
    scope.canSeeBalance
      ? balanceBreakdown(db, scope.billingOwner, options.now ?? new Date())
      : Promise.resolve(null),
  ]);
  return { scope, range, totals, days, byKey, byModel, recent, balance };
}
