import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "./budget";
import { rollPeriodsSql } from "../../billing/period-sql";

/**
 * The statements behind a process's budget lease (see budget-lease.ts). They move money
 * between the key's columns atomically, so that across processes
 * `spend + reserved ≤ spending_limit` holds whatever each process does locally, and keep
 * `budget_leases` (what each process holds of `reserved`, until when) in step.
 *
 * Lock order, everywhere: the key's `api_keys` row first, then lease rows. Two processes
 * (or two connections of one) can then never wait on each other in a cycle.
 */
export interface LeaseGrant {
  amount: bigint;
  /** The key's spend and reserved after the grant. */
  spend: bigint;
  reserved: bigint;
  /** What this process now holds for the key (its lease row), after the grant. */
  held: bigint;
  /** The key's current budget period and the spend counted in it. */
  periodStart: Date | null;
  periodSpend: bigint;
}

export interface LeaseHolder {
  /** This process's random id. */
  id: string;
  /** A lease not renewed for this long is given back by the next process that leases. */
  ttlMs: number;
}

/**
 * Adds to `reserved` and returns what was added: at least `need` when that much is left,
 * up to `ask`, but never more than half of what is left beyond `need` (so that other
 * processes near the limit still find some), and never more than is left. Nothing when the
 * key is revoked, expired or has no limit (null: nothing to lease from). Expired leases of
 * the key (a process that died) are given back first. With a budget period, the limit is
 * held against the period's spend, the period moved forward first when `now` has passed
 * its boundary.
 */
export async function leaseBudget(
  db: Db,
  keyId: string,
  need: bigint,
  ask: bigint,
  holder: LeaseHolder,
  now = new Date(),
): Promise<LeaseGrant | null> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    await tx.execute(sql`select id from api_keys where id = ${keyId} for update`);
    await reclaimExpired(tx, keyId);
    await tx.execute(rollPeriodsSql(sql`${keyId}::uuid`, now));
    const rows = rowsOf<{
      amount: string;
      spend: string;
      reserved: string;
      held: string;
      period_start: string | Date | null;
      period_spend: string;
    }>(
      await tx.execute(sql`
        with k as (
          select id, spend, reserved, period_start, period_spend, greatest(spending_limit - period_spend - reserved, 0) as remaining from api_keys
          where id = ${keyId} and spending_limit is not null and revoked_at is null
            and (expires_at is null or expires_at > now())
        ),
        g as (
          select id, spend, reserved, period_start, period_spend,
            least(remaining, greatest(${need}::bigint, least(${ask}::bigint, remaining / 2))) as amount
          from k
        ),
        u as (
          update api_keys a set reserved = a.reserved + g.amount from g
          where a.id = g.id and g.amount > 0
          returning a.id
        ),
        l as (
          insert into budget_leases (key_id, holder, amount, expires_at)
          select g.id, ${holder.id}, g.amount, now() + ${holder.ttlMs} * interval '1 millisecond' from g
          on conflict (key_id, holder) do update
            set amount = budget_leases.amount + excluded.amount, expires_at = excluded.expires_at
          returning amount
        )
        select g.amount, g.spend, g.reserved + g.amount as reserved, (select amount from l) as held, g.period_start, g.period_spend from g`),
    );
    const row = rows[0];
    if (!row) return null;
    return {
      amount: BigInt(row.amount),
      spend: BigInt(row.spend),
      reserved: BigInt(row.reserved),
      held: BigInt(row.held ?? row.amount),
      periodStart: toDate(row.period_start),
      periodSpend: BigInt(row.period_spend),
    };
  });
}

/** Gives the key back what processes that stopped renewing still hold. The key row must be locked. */
async function reclaimExpired(tx: Db, keyId: string): Promise<void> {
  await tx.execute(sql`
    with gone as (
      delete from budget_leases where key_id = ${keyId} and expires_at < now() returning amount
    )
    update api_keys set reserved = greatest(reserved - (select sum(amount) from gone), 0)
    where id = ${keyId} and exists (select 1 from gone)`);
}

/** postgres.js gives timestamps as Date, PGlite's raw rows as strings. */
function toDate(value: string | Date | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}

export interface LeaseSettlement {
  keyId: string;
  /** Real cost settled in this process: moves from `reserved` to `spend`. */
  spent: bigint;
  /** Of `spent`, what requests that started in `periodStart` cost: it counts in that period only. */
  periodSpent: bigint;
  periodStart: Date | null;
  /** Unused lease given back: leaves `reserved`. */
  returned: bigint;
  /** Of `spent`, what was never leased (cost past a reservation): added to spend only. */
  beyond?: bigint;
}

export interface SettledKey {
  spend: bigint;
  reserved: bigint;
  spendingLimit: bigint | null;
  periodStart: Date | null;
  periodSpend: bigint;
  /** This process's lease row was gone (expired and given back by another process). */
  lost: boolean;
}

/**
 * One transaction for every key with something to write; renews this process's leases.
 * Spend is always added; `reserved` is reduced only where this process's lease row still
 * exists (a lease given back by another process already left `reserved`). Periods past
 * their boundary at `now` move forward first; a request's cost counts in the period's spend
 * only if it started in the key's current period (one in flight at the boundary was
 * charged to the period it started in, which is over).
 */
export async function settleLeases(
  db: Db,
  items: LeaseSettlement[],
  holder: LeaseHolder,
  now = new Date(),
): Promise<Map<string, SettledKey>> {
  const out = new Map<string, SettledKey>();
  if (items.length === 0) return out;
  const sorted = [...items].sort((a, b) => (a.keyId < b.keyId ? -1 : 1));
  const values = sql.join(
    sorted.map(
      (item) =>
        sql`(${item.keyId}::uuid, ${item.spent - (item.beyond ?? 0n)}::bigint, ${item.returned}::bigint)`,
    ),
    sql`, `,
  );
  const ids = sql.join(
    sorted.map((item) => sql`${item.keyId}::uuid`),
    sql`, `,
  );
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    await tx.execute(sql`select id from api_keys where id in (${ids}) order by id for update`);
    const held = rowsOf<{ key_id: string }>(
      await tx.execute(sql`
        update budget_leases b set
          amount = greatest(b.amount - v.spent - v.returned, 0),
          expires_at = now() + ${holder.ttlMs} * interval '1 millisecond'
        from (values ${values}) as v(id, spent, returned)
        where b.key_id = v.id and b.holder = ${holder.id}
        returning b.key_id`),
    );
    const stillHeld = new Set(held.map((row) => row.key_id));
    // A lease fully given back leaves no row behind (nothing to renew, nothing to reclaim).
    await tx.execute(
      sql`delete from budget_leases where holder = ${holder.id} and amount = 0 and key_id in (${ids})`,
    );
    await tx.execute(rollPeriodsSql(ids, now));
    const withHeld = sql.join(
      sorted.map(
        (item) =>
          sql`(${item.keyId}::uuid, ${item.spent}::bigint, ${item.returned + item.spent - (item.beyond ?? 0n)}::bigint, ${stillHeld.has(item.keyId)}::boolean, ${item.periodSpent}::bigint, ${item.periodStart?.toISOString() ?? null}::timestamptz)`,
      ),
      sql`, `,
    );
    const rows = rowsOf<{
      id: string;
      spend: string;
      reserved: string;
      spending_limit: string | null;
      period_start: string | Date | null;
      period_spend: string;
    }>(
      await tx.execute(sql`
        update api_keys a set
          spend = a.spend + v.spent,
          period_spend = a.period_spend + case when v.period_start is not distinct from a.period_start then v.period_spent else 0 end,
          reserved = case when v.held then greatest(a.reserved - v.released, 0) else a.reserved end
        from (values ${withHeld}) as v(id, spent, released, held, period_spent, period_start)
        where a.id = v.id
        returning a.id, a.spend, a.reserved, a.spending_limit, a.period_start, a.period_spend`),
    );
    for (const row of rows) {
      out.set(row.id, {
        spend: BigInt(row.spend),
        reserved: BigInt(row.reserved),
        spendingLimit: row.spending_limit === null ? null : BigInt(row.spending_limit),
        periodStart: toDate(row.period_start),
        periodSpend: BigInt(row.period_spend),
        lost: !stillHeld.has(row.id),
      });
    }
    return out;
  });
}

/** Keeps this process's leases alive; returns the keys it still holds a lease for. */
export async function renewLeases(db: Db, holder: LeaseHolder): Promise<Set<string>> {
  const rows = rowsOf<{ key_id: string }>(
    await db.execute(sql`
      update budget_leases set expires_at = now() + ${holder.ttlMs} * interval '1 millisecond'
      where holder = ${holder.id}
      returning key_id`),
  );
  return new Set(rows.map((row) => row.key_id));
}
