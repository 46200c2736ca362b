import { clsx } from "clsx";
import { keyStatusLabel } from "@/lib/format/key-status";

const styles: Record<string, string> = {
  active: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  limit_reached: "bg-amber-50 text-amber-800 ring-amber-600/20",
  paused: "bg-sky-50 text-sky-800 ring-sky-600/20",
  expired: "bg-zinc-100 text-zinc-700 ring-zinc-500/20",
  revoked: "bg-red-50 text-red-700 ring-red-600/20",
};

/** The status in plain words ("Limit reached"); the API value (`limit_reached`) stays in data-status. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      data-status={status}
      className={clsx(
        "inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        styles[status] ?? styles.expired,
      )}
    >
      {keyStatusLabel(status)}
    </span>
  );
}
