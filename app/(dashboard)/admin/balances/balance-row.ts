import type { BalanceBreakdown } from "@/lib/billing/balance-breakdown";
import { ownerRefOf } from "@/lib/billing/balance-schemas";
import type { Owner } from "@/lib/billing/balance";
import { formatMoney } from "@/lib/core/money";
import { formatAmount } from "@/lib/format/money";

/** A balance as the admin's client components get it: plain strings, money already formatted. */
export interface BalanceRow {
  ref: string;
  kind: "user" | "team";
  name: string;
  email: string | null;
  disabled: boolean;
  includedMonthly: string;
  /** To the micro-unit, for the form: saving must not round it. */
  includedMonthlyExact: string;
  includedUsed: string;
  includedLeft: string;
  prepaidLeft: string;
  overageThisMonth: string;
  overageEnabled: boolean;
  blocked: boolean;
}

export function toBalanceRow(
  owner: Owner,
  name: string,
  email: string | null,
  disabled: boolean,
  b: BalanceBreakdown,
): BalanceRow {
  return {
    ref: ownerRefOf(owner),
    kind: owner.kind,
    name,
    email,
    disabled,
    includedMonthly: formatAmount(b.includedMonthly),
    includedMonthlyExact: formatMoney(b.includedMonthly),
    includedUsed: formatAmount(b.includedUsed),
    includedLeft: formatAmount(b.includedLeft),
    prepaidLeft: formatAmount(b.prepaidLeft),
    overageThisMonth: formatAmount(b.overageThisMonth),
    overageEnabled: b.overageEnabled,
    blocked: b.blocked,
  };
}
