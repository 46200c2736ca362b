import type { DailyRefusals, RefusalCounts } from "@/lib/keys/key-refusals";
import { refusalLabel, refusalsByFrequency } from "@/lib/keys/refusal-labels";

const integer = new Intl.NumberFormat("en-US");
const dayFormat = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});

function requests(n: number) {
  return `${integer.format(n)} ${n === 1 ? "request" : "requests"}`;
}

/**
 * A key's refused requests (paused, rate limited, spent, model or address not allowed…) in
 * the last 30 days, why, and on which days: what a user needs when an application fails
 * and the key's usage shows nothing, because a refused request never reaches a model.
 */
export function KeyRefusals({ total, days }: { total: RefusalCounts; days: DailyRefusals[] }) {
  if (total.total === 0) {
    return (
      <p className="text-sm text-zinc-600" data-testid="key-refusals-total">
        No requests refused in the last 30 days.
      </p>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-700" data-testid="key-refusals-total">
        {requests(total.total)} refused in the last 30 days.
      </p>
      <ul aria-label="Why" className="flex flex-wrap gap-2 text-sm">
        {refusalsByFrequency(total.byCode).map(([code, count]) => (
          <li
            key={code}
            className="rounded-lg border border-zinc-200 bg-zinc-50 px-2.5 py-1"
            data-testid="key-refusal-reason"
          >
            <span className="font-medium">{refusalLabel(code)}</span>{" "}
            <span className="tabular-nums">{integer.format(count)}</span>{" "}
            <code className="text-xs text-zinc-600">{code}</code>
          </li>
        ))}
      </ul>
      <div className="overflow-x-auto rounded-xl border border-zinc-200">
        <table aria-label="Refused requests by day" className="min-w-full text-sm">
          <thead className="bg-zinc-50 text-left text-xs font-semibold text-zinc-600">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium sm:px-4">
                Day (UTC)
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium sm:px-4">
                Refused
              </th>
              <th scope="col" className="px-3 py-2 font-medium sm:px-4">
                Why
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {[...days].reverse().map((day) => (
              <tr key={day.date}>
                <td className="whitespace-nowrap px-3 py-2 sm:px-4">
                  <time dateTime={day.date}>
                    {dayFormat.format(new Date(`${day.date}T00:00:00Z`))}
                  </time>
                </td>
                <td className="px-3 py-2 text-right tabular-nums sm:px-4">
                  {integer.format(day.total)}
                </td>
                <td className="px-3 py-2 sm:px-4">
                  {refusalsByFrequency(day.byCode)
                    .map(([code, count]) => `${refusalLabel(code)} ${integer.format(count)}`)
                    .join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
