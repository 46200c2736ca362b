import type { MaybePromise } from "../maybe-async";

/**
 * How a spending limit holds (ARCHITECTURE.md): before forwarding, a request reserves its
 * maximum cost, capped at the key's remaining budget (limit − spend − reserved), so
 * concurrent requests — in this process or another — can never together reserve more than
 * the limit; settling moves the real cost from reserved to spend. Keys without a limit
 * never come here. The implementation is a per-process budget lease (budget-lease.ts):
 * each process reserves a slice in one atomic statement and spends it locally.
 */
export interface ReserveResult {
  granted: bigint;
  /** What others hold right now: when > 0, waiting for them to settle may free budget. */
  heldByOthers: bigint;
}

export interface BudgetStore {
  /**
   * Grants min(wanted, remaining) if that is at least `minimum`, otherwise nothing. A plain
   * value when this process's lease covers it (nearly always), else a promise.
   */
  reserve(keyId: string, wanted: bigint, minimum: bigint): MaybePromise<ReserveResult>;
  /**
   * Releases `reserved` and charges `cost` (what was used, even past `reserved`) to the period started at
   * `periodStart` (ms; null for a key without periods). Returns the key's new lifetime spend.
   * Synchronous: the lease settles in memory and writes spend back on its timer, so the end
   * of a request needs no promise chain of its own.
   */
  settle(keyId: string, reserved: bigint, cost: bigint, periodStart?: number | null): bigint;
  /** The key's budget period and its spend as this process knows them, if it does. */
  periodOf?(keyId: string): { start: Date | null; spend: bigint } | null;
  /** Resolves when some reservation of this key settles in this process, or after `ms`. */
  waitForSettle(keyId: string, ms: number): Promise<void>;
}

export { rowsOf } from "@/db/rows-of";
