import { TimeText } from "@/components/ui/time-text";
import type { KeyRow } from "../key-row";

const chip =
  "inline-flex max-w-full items-center gap-1 truncate rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] leading-4 text-zinc-700";
const periodWord = { none: "", daily: "Daily", weekly: "Weekly", monthly: "Monthly" } as const;
const compact = (n: number) => new Intl.NumberFormat("en", { notation: "compact" }).format(n);

/** What applies to a key beyond its status and spend, in a line of small chips. Nothing for a key with no controls. */
export function KeyControlsSummary({ row }: { row: KeyRow }) {
  const limits = [
    row.requestsPerMinute ? `${compact(row.requestsPerMinute)} req/min` : null,
    row.tokensPerMinute ? `${compact(row.tokensPerMinute)} tok/min` : null,
    row.maxConcurrent ? `${compact(row.maxConcurrent)} at once` : null,
  ].filter(Boolean);
  const models = row.allowedModels;
  const items = [
    models ? (
      <span key="models" className={chip} title={`Allowed models: ${models.join(", ")}`}>
        {models.length <= 2 ? models.join(", ") : `${models.length} models`}
      </span>
    ) : null,
    ...limits.map((limit) => (
      <span key={limit} className={chip} title="Rate limit">
        {limit}
      </span>
    )),
    row.budgetPeriod !== "none" ? (
      <span
        key="period"
        className={chip}
        title="Budget period: the spend against the limit starts again at each reset; the lifetime spend is kept"
      >
        {periodWord[row.budgetPeriod]} · resets <TimeText value={row.periodResetsAt} />
      </span>
    ) : null,
    row.budgetPeriod !== "none" ? (
      <span key="lifetime" className={chip} title="Spend over the key's whole life">
        {row.lifetimeSpend} lifetime
      </span>
    ) : null,
    row.ipAllowlist ? (
      <span key="ips" className={chip} title={`IP allowlist: ${row.ipAllowlist.join(", ")}`}>
        {row.ipAllowlist.length === 1 ? row.ipAllowlist[0] : `${row.ipAllowlist.length} IP ranges`}
      </span>
    ) : null,
    row.payloadCapture ? (
      <span
        key="capture"
        className={`${chip} bg-brand-50 text-brand-700`}
        title="An admin turned on payload capture: request and response bodies are kept for a few days and shown in Usage → Requests"
      >
        Traffic logged
        {row.payloadCapture.sampleRate < 1
          ? ` · ${Math.round(row.payloadCapture.sampleRate * 100)}%`
          : ""}
      </span>
    ) : null,
    row.previousKeyExpiresAt ? (
      <span key="rolled" className={`${chip} bg-amber-50 text-amber-800`}>
        Old secret stops working <TimeText value={row.previousKeyExpiresAt} />
      </span>
    ) : null,
  ].filter(Boolean);
  if (items.length === 0) return null;
  return (
    <div data-testid="key-controls" className="mt-1 flex flex-wrap gap-1">
      {items}
    </div>
  );
}
