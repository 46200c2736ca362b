import { clsx } from "clsx";
import type { KeyStatus } from "@/lib/keys/status";

const styles: Record<KeyStatus, string> = {
  active: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  limit_reached: "bg-amber-50 text-amber-800 ring-amber-600/20",
  expired: "bg-zinc-100 text-zinc-700 ring-zinc-500/20",
  revoked: "bg-red-50 text-red-700 ring-red-600/20",
};

/** The status word itself (`limit_reached`…) is what users read in docs and API responses. */
export const statusLabels: Record<KeyStatus, string> = {
  active: "active",
  limit_reached: "limit_reached",
  expired: "expired",
  revoked: "revoked",
};

export function StatusBadge({ status }: { status: KeyStatus }) {
  return (
    <span className={clsx("inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", styles[status])}>
      {statusLabels[status]}
    </span>
  );
}
