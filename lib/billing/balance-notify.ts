/**
 * ── For code that changes a balance's settings or credit (admin: included usage, prepaid
 * credit, overage on/off) ───────────────────────────────────────────────────────────────
 *
 *   await notifyBalanceChanged(db, owner);   // after the change has committed
 *
 * The gateway caches each owner's balance for a few seconds to decide the 402 rule without
 * a query per request. This evicts the owner in this process at once and in every other
 * process on the same Postgres (lib/invalidation-channel.ts), so that turning overage off
 * (or adding credit) takes effect on the very next request.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invalidationChannel } from "@/lib/invalidation-channel";
import type { Owner } from "./balance";

export function ownerToPayload(owner: Owner): string {
  return owner.kind === "team" ? `t:${owner.teamId}` : `u:${owner.userId}`;
}

export function ownerFromPayload(payload: string): Owner | null {
  const [kind, id] = payload.split(":");
  if (!id) return null;
  if (kind === "t") return { kind: "team", teamId: id };
  if (kind === "u") return { kind: "user", userId: id };
  return null;
}

export const balanceChannel = invalidationChannel<Owner>("modelbridge_balance_changed", {
  encode: ownerToPayload,
  decode: ownerFromPayload,
});
export const BALANCE_CHANNEL = balanceChannel.name;

/** The gateway's balance guard registers here to hear changes made in this process. */
export const onLocalBalanceChange = balanceChannel.onLocal;

/** NOTIFY goes through the Db the change was written with, so it also works in tests. */
export async function notifyBalanceChanged(db: Db, owner: Owner): Promise<void> {
  await balanceChannel.publish(owner, (channel, payload) =>
    db.execute(sql`select pg_notify(${channel}, ${payload})`),
  );
}
