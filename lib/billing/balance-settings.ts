import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { billingAccounts, ledgerEntries, teams, users } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { FieldError, NotFoundError } from "@/lib/errors/domain-errors";
import { isUuid } from "@/lib/teams/membership";
import { ensureBillingAccount, type Owner } from "./balance";
import { notifyBalanceChanged } from "./balance-notify";
import { formatMoney } from "../core/money";

/**
 * What platform admins change on a balance. Each change is audited and evicts the gateway's
 * cached balance for the owner (here and in other processes), so that the 402 rule follows
 * at once. Money comes in already parsed (bigint micro-units).
 */
function requireBalanceAdmin(actor: Actor): void {
  requirePlatformAdmin(actor, "change balances");
}

async function requireOwner(db: Db, owner: Owner): Promise<void> {
  const id = owner.kind === "team" ? owner.teamId : owner.userId;
  if (!isUuid(id)) throw new NotFoundError(owner.kind);
  const table = owner.kind === "team" ? teams : users;
  const [row] = await db.select({ id: table.id }).from(table).where(eq(table.id, id)).limit(1);
  if (!row) throw new NotFoundError(owner.kind);
}

function auditTarget(owner: Owner) {
  return owner.kind === "team"
    ? {
        targetType: "billing_account" as const,
        targetId: `team:${owner.teamId}`,
        teamId: owner.teamId,
      }
    : { targetType: "billing_account" as const, targetId: `user:${owner.userId}`, teamId: null };
}

/** The plan's included usage granted each calendar month (UTC); 0 grants none. Takes effect this month. */
export async function setIncludedMonthly(
  db: Db,
  actor: Actor,
  owner: Owner,
  amount: bigint,
): Promise<void> {
  requireBalanceAdmin(actor);
  if (amount < 0n) throw new FieldError("included_monthly", "Included usage cannot be negative.");
  await requireOwner(db, owner);
  const account = await ensureBillingAccount(db, owner);
  await db
    .update(billingAccounts)
    .set({ includedMonthly: amount })
    .where(eq(billingAccounts.id, account.id));
  await recordAudit(db, actor, {
    action: "balance.included",
    ...auditTarget(owner),
    details: { from: formatMoney(account.includedMonthly), to: formatMoney(amount) },
  });
  await notifyBalanceChanged(db, owner);
}

/** Adds prepaid credit: one positive `prepaid` ledger row (credit carries over from month to month). */
export async function addPrepaidCredit(
  db: Db,
  actor: Actor,
  owner: Owner,
  amount: bigint,
  note: string | null,
): Promise<void> {
  requireBalanceAdmin(actor);
  if (amount <= 0n) throw new FieldError("amount", "Credit must be a positive amount.");
  await requireOwner(db, owner);
  const account = await ensureBillingAccount(db, owner);
  await db.insert(ledgerEntries).values({
    accountId: account.id,
    bucket: "prepaid",
    amount,
    kind: "credit",
    note: note?.trim() || null,
    createdBy: actor.user.id,
  });
  await recordAudit(db, actor, {
    action: "balance.credit",
    ...auditTarget(owner),
    details: { amount: formatMoney(amount), note: note?.trim() || null },
  });
  await notifyBalanceChanged(db, owner);
}

/** Overage on: usage past included and prepaid is allowed and billed. Off: `/v1` answers 402 once both are spent. */
export async function setOverageEnabled(
  db: Db,
  actor: Actor,
  owner: Owner,
  enabled: boolean,
): Promise<void> {
  requireBalanceAdmin(actor);
  await requireOwner(db, owner);
  const account = await ensureBillingAccount(db, owner);
  if (account.overageEnabled === enabled) return;
  await db
    .update(billingAccounts)
    .set({ overageEnabled: enabled })
    .where(eq(billingAccounts.id, account.id));
  await recordAudit(db, actor, {
    action: "balance.overage",
    ...auditTarget(owner),
    details: { enabled },
  });
  await notifyBalanceChanged(db, owner);
}
