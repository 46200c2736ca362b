import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { TimeText } from "@/components/ui/time-text";
import { AUDIT_AREAS } from "@/lib/audit/audit-page-query";
import type { AuditPage } from "@/lib/audit/list-audit";

/** `{"changes":{"name":{"from":"a","to":"b"}}}` → `name: a → b`; anything else as key: value. */
function describe(details: Record<string, unknown> | null): string {
  if (!details) return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (key === "changes" && value && typeof value === "object") {
      for (const [field, change] of Object.entries(
        value as Record<string, { from?: unknown; to?: unknown }>,
      )) {
        parts.push(
          `${field}: ${JSON.stringify(change?.from ?? null)} → ${JSON.stringify(change?.to ?? null)}`,
        );
      }
    } else if (value !== undefined && value !== null)
      parts.push(`${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  return parts.join(" · ");
}

/**
 * The audit log as a server-rendered list: filter by area (a GET form, so it works before
 * any script loads), newest first, "Older entries" follows the cursor.
 */
export function AuditLogView({
  page,
  area,
  basePath,
  cursor,
}: {
  page: AuditPage;
  area: string;
  basePath: string;
  cursor?: string;
}) {
  const href = (params: Record<string, string | undefined>) => {
    const search = new URLSearchParams(
      Object.entries(params).filter((e): e is [string, string] => !!e[1]),
    );
    return search.size ? `${basePath}?${search}` : basePath;
  };
  return (
    <div className="space-y-4">
      <form method="get" action={basePath} className="flex flex-wrap items-end gap-2">
        <label className="space-y-1">
          <span className="block text-xs font-medium text-zinc-600">Area</span>
          <select name="area" defaultValue={area} className={inputClass}>
            {AUDIT_AREAS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={buttonClass("secondary")}>
          Filter
        </button>
      </form>
      {page.entries.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
          No entries{area ? " in this area" : " yet"}.
        </div>
      ) : (
        <ol
          className="divide-y divide-zinc-100 rounded-xl border border-zinc-200 bg-white"
          aria-label="Audit entries"
        >
          {page.entries.map((e) => (
            <li
              key={e.id}
              data-testid="audit-entry"
              className="grid gap-1 px-4 py-3 text-sm sm:grid-cols-[10rem_12rem_minmax(0,1fr)] sm:gap-4"
            >
              <span className="text-xs text-zinc-500">
                <TimeText value={e.createdAt} />
              </span>
              <span className="font-mono text-xs font-medium text-zinc-900">{e.action}</span>
              <span className="min-w-0 text-zinc-700">
                <span className="font-medium">{e.actorName ?? "System"}</span>
                {e.actorKeyId ? (
                  <span className="text-zinc-500"> (via a Management key)</span>
                ) : null}
                <span className="text-zinc-500">
                  {" "}
                  on {e.targetType}{" "}
                  <code className="break-all font-mono text-xs">{e.targetId}</code>
                </span>
                {e.details ? (
                  <span className="block break-words text-xs text-zinc-500">
                    {describe(e.details)}
                  </span>
                ) : null}
              </span>
            </li>
          ))}
        </ol>
      )}
      <div className="flex gap-2">
        {cursor ? (
          <Link href={href({ area })} className={buttonClass("ghost")}>
            Newest
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link href={href({ area, cursor: page.nextCursor })} className={buttonClass("secondary")}>
            Older entries
          </Link>
        ) : null}
      </div>
    </div>
  );
}
