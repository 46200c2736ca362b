import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * How a spending limit holds (ARCHITECTURE.md): before forwarding, a request reserves its
 * maximum cost in ONE statement that caps the grant at the key's remaining budget
 * (limit − spend − reserved), so concurrent requests — in this process or another — can
 * never together reserve more than the limit. Settling moves the real cost from `reserved`
 * to `spend`. Keys without a limit never come here.
 *
 * The interface is what the chat flow depends on, so that issue 5's budget lease (a
 * process holding a slice of budget and spending it locally) can replace the per-request
 * statement without touching the flow.
 */
export interface ReserveResult {
  granted: bigint;
  /** What others hold right now: when > 0, waiting for them to settle may free budget. */
  heldByOthers: bigint;
}

export interface BudgetStore {
  /** Grants min(wanted, remaining) if that is at least `minimum`, otherwise nothing. */
  reserve(keyId: string, wanted: bigint, minimum: bigint): Promise<ReserveResult>;
  /** Releases `reserved` and charges `cost` (≤ reserved). Returns the key's new spend. */
  settle(keyId: string, reserved: bigint, cost: bigint): Promise<bigint>;
  /** Resolves when some reservation of this key settles in this process, or after `ms`. */
  waitForSettle(keyId: string, ms: number): Promise<void>;
}

export function databaseBudgetStore(db: Db): BudgetStore {
  const waiters = new Map<string, Set<() => void>>();
  const wake = (keyId: string) => {
    const set = waiters.get(keyId);
    if (!set) return;
    waiters.delete(keyId);
    for (const resolve of set) resolve();
  };

  return {
    async reserve(keyId, wanted, minimum) {
      // The row lock in `k` serialises concurrent reservations of one key; `u` only
      // updates when the grant is useful, so a refused request holds nothing.
      const rows = await db.execute<{ granted: string; reserved: string }>(sql`
        with k as (
          select id, spend, reserved, spending_limit from api_keys
          where id = ${keyId} and spending_limit is not null and revoked_at is null
            and (expires_at is null or expires_at > now())
          for update
        ),
        g as (
          select id, least(${wanted}::bigint, greatest(spending_limit - spend - reserved, 0)) as amount from k
        ),
        u as (
          update api_keys a set reserved = a.reserved + g.amount
          from g where a.id = g.id and g.amount > 0 and g.amount >= ${minimum}::bigint
          returning a.id
        )
        select case when exists (select 1 from u) then g.amount else 0 end as granted, k.reserved as reserved
        from k, g`);
      const row = rowsOf<{ granted: string; reserved: string }>(rows)[0];
      if (!row) return { granted: 0n, heldByOthers: 0n };
      return { granted: BigInt(row.granted), heldByOthers: BigInt(row.reserved) };
    },

    async settle(keyId, reserved, cost) {
      const rows = await db.execute<{ spend: string }>(sql`
        update api_keys set spend = spend + ${cost}::bigint, reserved = greatest(reserved - ${reserved}::bigint, 0)
        where id = ${keyId} returning spend`);
      wake(keyId);
      const row = rowsOf<{ spend: string }>(rows)[0];
      return row ? BigInt(row.spend) : 0n;
    },

    waitForSettle(keyId, ms) {
      return new Promise((resolve) => {
        const set = waiters.get(keyId) ?? new Set();
        waiters.set(keyId, set);
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        set.add(done);
      });
    },
  };
}

/** postgres.js returns an array, PGlite `{ rows }`: both through drizzle's `execute`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
