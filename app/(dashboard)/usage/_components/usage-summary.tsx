import { formatFixed } from "@/lib/format/column-money";
import type { UsageTotals } from "@/lib/usage/aggregate";

const integer = new Intl.NumberFormat("en-US");

/** The range's totals, above the charts. */
export function UsageSummary({
  totals,
  currency,
  rangeLabel,
  spendDecimals,
}: {
  totals: UsageTotals;
  currency: string;
  rangeLabel: string;
  /** The decimals of the per-key table's spend column, so the two totals read alike. */
  spendDecimals: number;
}) {
  const tiles = [
    { label: "Spend", value: formatFixed(totals.spend, spendDecimals), unit: currency },
    {
      label: "Requests",
      value: integer.format(totals.requests),
      unit: totals.errors > 0 ? `${integer.format(totals.errors)} failed` : "",
    },
    {
      label: "Tokens",
      value: integer.format(totals.promptTokens + totals.completionTokens),
      unit: `${integer.format(totals.promptTokens)} in · ${integer.format(totals.completionTokens)} out`,
    },
  ];
  return (
    <section aria-label={`Totals, ${rangeLabel}`}>
      {/* Two across on a phone (stacked, they push the charts off screen), Tokens under them at full width so its detail is not cut. */}
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 sm:gap-3">
        {tiles.map((tile) => (
          <div
            key={tile.label}
            className={`min-w-0 rounded-xl border border-zinc-200 bg-white p-3 sm:p-4 ${tile.label === "Tokens" ? "col-span-2 sm:col-span-1" : ""}`}
          >
            <dt className="text-xs text-zinc-600 sm:text-sm">{tile.label}</dt>
            <dd className="mt-1">
              <span className="block break-all text-base font-semibold tabular-nums tracking-tight sm:inline sm:text-2xl">
                {tile.value}
              </span>{" "}
              <span className="block text-xs text-zinc-500 sm:inline sm:text-sm">{tile.unit}</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
