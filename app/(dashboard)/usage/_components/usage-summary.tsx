import { formatMoney } from "@/lib/billing/money";
import type { UsageTotals } from "@/lib/usage/aggregate";

const integer = new Intl.NumberFormat("en-US");

/** The range's totals, above the charts. */
export function UsageSummary({ totals, currency, rangeLabel }: { totals: UsageTotals; currency: string; rangeLabel: string }) {
  const tiles = [
    { label: "Spend", value: formatMoney(totals.spend), unit: currency },
    { label: "Requests", value: integer.format(totals.requests), unit: totals.errors > 0 ? `${integer.format(totals.errors)} failed` : "" },
    { label: "Tokens", value: integer.format(totals.promptTokens + totals.completionTokens), unit: `${integer.format(totals.promptTokens)} in · ${integer.format(totals.completionTokens)} out` },
  ];
  return (
    <section aria-label={`Totals, ${rangeLabel}`}>
      <dl className="grid gap-3 sm:grid-cols-3">
        {tiles.map((tile) => (
          <div key={tile.label} className="rounded-xl border border-zinc-200 bg-white p-4">
            <dt className="text-sm text-zinc-600">{tile.label}</dt>
            <dd className="mt-1">
              <span className="text-2xl font-semibold tabular-nums tracking-tight">{tile.value}</span>{" "}
              <span className="text-sm text-zinc-500">{tile.unit}</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
