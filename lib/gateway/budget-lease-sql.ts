import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "./budget";

/**
 * The two statements behind a process's budget lease (see budget-lease.ts). Both move
 * money between the key's columns atomically, so that across processes
 * `spend + reserved ≤ spending_limit` holds whatever each process does locally.
 */
export interface LeaseGrant {
  amount: bigint;
  /** The key's spend and reserved after the grant. */
  spend: bigint;
  reserved: bigint;
}

/**
 * Adds to `reserved` and returns what was added: at least `need` when that much is left,
 * up to `ask`, but never more than half of what is left beyond `need` (so that other
 * processes near the limit still find some), and never more than is left. Nothing when the
 * key is revoked, expired or has no limit (null: nothing to lease from).
 */
export async function leaseBudget(db: Db, keyId: string, need: bigint, ask: bigint): Promise<LeaseGrant | null> {
  const rows = rowsOf<{ amount: string; spend: string; reserved: string }>(
    await db.execute(sql`
      with k as (
        select id, spend, reserved, greatest(spending_limit - spend - reserved, 0) as remaining from api_keys
        where id = ${keyId} and spending_limit is not null and revoked_at is null
          and (expires_at is null or expires_at > now())
        for update
      ),
      g as (
        select id, spend, reserved,
          least(remaining, greatest(${need}::bigint, least(${ask}::bigint, remaining / 2))) as amount
        from k
      ),
      u as (
        update api_keys a set reserved = a.reserved + g.amount from g
        where a.id = g.id and g.amount > 0
        returning a.id
      )
      select g.amount, g.spend, g.reserved + g.amount as reserved from g`),
  );
  const row = rows[0];
  if (!row) return null;
  return { amount: BigInt(row.amount), spend: BigInt(row.spend), reserved: BigInt(row.reserved) };
}

export interface LeaseSettlement {
  keyId: string;
  /** Real cost settled in this process: moves from `reserved` to `spend`. */
  spent: bigint;
  /** Unused lease given back: leaves `reserved`. */
  returned: bigint;
}

/** One statement for every key with something to write; returns each key's new spend and reserved. */
export async function settleLeases(db: Db, items: LeaseSettlement[]): Promise<Map<string, { spend: bigint; reserved: bigint }>> {
  const out = new Map<string, { spend: bigint; reserved: bigint }>();
  if (items.length === 0) return out;
  const values = sql.join(
    items.map((item) => sql`(${item.keyId}::uuid, ${item.spent}::bigint, ${item.returned}::bigint)`),
    sql`, `,
  );
  const rows = rowsOf<{ id: string; spend: string; reserved: string }>(
    await db.execute(sql`
      update api_keys a set
        spend = a.spend + v.spent,
        reserved = greatest(a.reserved - v.spent - v.returned, 0)
      from (values ${values}) as v(id, spent, returned)
      where a.id = v.id
      returning a.id, a.spend, a.reserved`),
  );
  for (const row of rows) out.set(row.id, { spend: BigInt(row.spend), reserved: BigInt(row.reserved) });
  return out;
}
