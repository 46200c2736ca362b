import { clsx } from "clsx";

/** Spend against the limit: a bar that turns amber near the limit and red at it, and what is left. */
export function SpendBar({
  spend,
  limit,
  remaining,
  percent,
  currency,
  management = false,
}: {
  spend: string;
  limit: string | null;
  remaining: string | null;
  percent: number | null;
  currency: string;
  /** A Management key calls /api/v1, never a model: it spends nothing, so "0.00 · No limit" would mislead. */
  management?: boolean;
}) {
  if (management) {
    return (
      <div className="min-w-28 text-sm text-zinc-600" data-testid="spend-not-charged">
        Not charged
        <div className="text-xs text-zinc-500">Management key</div>
      </div>
    );
  }
  if (limit === null || percent === null) {
    return (
      <div className="min-w-28 text-sm">
        <div className="whitespace-nowrap tabular-nums">
          <span className="font-medium">{spend}</span>{" "}
          <span className="text-zinc-500">{currency}</span>
        </div>
        <div className="text-xs text-zinc-500">No limit</div>
      </div>
    );
  }
  return (
    <div className="min-w-28 space-y-1">
      <div className="whitespace-nowrap text-sm tabular-nums">
        <span className="font-medium">{spend}</span>
        <span className="text-zinc-500">
          {" "}
          / {limit} {currency}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label="Spend of limit"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% of the limit used, ${remaining} ${currency} left`}
        className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-200"
      >
        <div
          className={clsx(
            "h-full rounded-full",
            percent >= 100 ? "bg-red-500" : percent >= 80 ? "bg-amber-500" : "bg-brand-600",
          )}
          style={{ width: `${Math.max(percent, percent > 0 ? 2 : 0)}%` }}
        />
      </div>
      <div className="whitespace-nowrap text-xs tabular-nums text-zinc-500">
        {remaining} {currency} left
      </div>
    </div>
  );
}
