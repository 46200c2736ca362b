import { clsx } from "clsx";
import { formatAmount } from "@/lib/format/money";
import type { BalanceBreakdown } from "@/lib/billing/balance-breakdown";

function Card({
  label,
  value,
  currency,
  detail,
  tone = "normal",
}: {
  label: string;
  value: string;
  currency: string;
  detail: string;
  tone?: "normal" | "warn";
}) {
  return (
    <div
      className={clsx(
        "rounded-xl border bg-white p-4",
        tone === "warn" ? "border-amber-300" : "border-zinc-200",
      )}
    >
      <dt className="text-sm text-zinc-600">{label}</dt>
      <dd className="mt-1">
        <span className="text-2xl font-semibold tabular-nums tracking-tight">{value}</span>{" "}
        <span className="text-sm text-zinc-500">{currency}</span>
        <span className="mt-1 block text-xs text-zinc-500">{detail}</span>
      </dd>
    </div>
  );
}

/** Where this month's spend is drawn from, in the order it is drawn: included, prepaid, overage. */
export function BalanceCards({
  balance,
  currency,
  ownerName,
}: {
  balance: BalanceBreakdown;
  currency: string;
  ownerName: string;
}) {
  const includedPercent =
    balance.includedMonthly > 0n
      ? Number((balance.includedUsed * 100n) / balance.includedMonthly)
      : null;
  return (
    <section aria-labelledby="balance-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="balance-heading" className="text-base font-semibold">
          Balance · {ownerName}
        </h2>
        <p className="text-xs text-zinc-500">
          Month {balance.period} (UTC). Spend draws included usage first, then prepaid credit, then
          overage.
        </p>
      </div>
      {balance.blocked ? (
        <p
          role="status"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-800"
        >
          Included usage and prepaid credit are used up and overage is off: requests are refused
          (402) until a platform admin adds credit or turns overage on.
        </p>
      ) : null}
      <dl className="grid gap-3 sm:grid-cols-3">
        <Card
          label="Included left this month"
          value={formatAmount(balance.includedLeft)}
          currency={currency}
          detail={
            balance.includedMonthly > 0n
              ? `${formatAmount(balance.includedUsed)} of ${formatAmount(balance.includedMonthly)} used${includedPercent === null ? "" : ` (${Math.min(includedPercent, 100)}%)`}`
              : "No included usage on this plan"
          }
        />
        <Card
          label="Prepaid credit left"
          value={formatAmount(balance.prepaidLeft)}
          currency={currency}
          detail="Carries over from month to month"
        />
        <Card
          label="Overage this month"
          value={formatAmount(balance.overageThisMonth)}
          currency={currency}
          detail={
            balance.overageEnabled
              ? "Overage is on: usage past your credit is billed"
              : "Overage is off: requests stop when credit runs out"
          }
          tone={balance.overageThisMonth > 0n || balance.blocked ? "warn" : "normal"}
        />
      </dl>
    </section>
  );
}
