import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { billingAccounts, ledgerEntries, type LedgerBucket } from "@/db/schema";
import { billingPeriod, bucketsLeft, ensureBillingAccount, type Owner } from "./balance";

/**
 * Draws `amount` of usage from an owner's balance in the documented order: this month's
 * included usage, then prepaid credit, then overage. One negative ledger row per bucket
 * touched. The account row is locked for the transaction so that two concurrent charges
 * cannot both draw the same included usage.
 */
export async function chargeOwner(
  db: Db,
  owner: Owner,
  amount: bigint,
  keyId: string | null,
  now: Date,
): Promise<void> {
  if (amount <= 0n) return;
  const account = await ensureBillingAccount(db, owner);
  await db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(billingAccounts)
      .where(eq(billingAccounts.id, account.id))
      .for("update");
    if (!locked) return;
    const left = await bucketsLeft(tx as unknown as Db, locked, now);
    const rows: { bucket: LedgerBucket; amount: bigint; period: string | null }[] = [];
    let rest = amount;
    const fromIncluded = rest < left.includedLeft ? rest : left.includedLeft;
    if (fromIncluded > 0n) {
      rows.push({ bucket: "included", amount: -fromIncluded, period: billingPeriod(now) });
      rest -= fromIncluded;
    }
    const fromPrepaid = rest < left.prepaidLeft ? rest : left.prepaidLeft;
    if (fromPrepaid > 0n) {
      rows.push({ bucket: "prepaid", amount: -fromPrepaid, period: null });
      rest -= fromPrepaid;
    }
    // Overage takes the rest even when it is switched off: the request was already served
    // (the gateway refuses new ones up front), and the ledger must add up to what was used.
    if (rest > 0n) rows.push({ bucket: "overage", amount: -rest, period: null });
    await tx.insert(ledgerEntries).values(
      rows.map((row) => ({
        accountId: locked.id,
        bucket: row.bucket,
        amount: row.amount,
        period: row.period,
        kind: "usage" as const,
        keyId,
        createdAt: now,
      })),
    );
  });
}
