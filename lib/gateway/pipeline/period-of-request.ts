import { periodStartAt } from "@/lib/keys/budget-period";
import type { KeyRecord } from "../types";

/** The budget period (its start, ms) a request that started at `startedAt` is charged to; null without periods. */
export function periodOfRequest(key: KeyRecord, startedAt: number): number | null {
  if (key.budgetPeriod === "none") return null;
  return periodStartAt(key.budgetPeriod, new Date(startedAt))!.getTime();
}
