import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { TimeText } from "@/components/ui/time-text";
import type { AuditFilters } from "@/lib/audit/audit-page-query";
import { AUDIT_AREAS } from "@/lib/audit/audit-page-query";
import { auditSentence, type AuditNames } from "@/lib/audit/audit-sentence";
import type { AuditPage } from "@/lib/audit/list-audit";

/**
 * The audit log as a server-rendered list of sentences with names: filter by who, what and
 * when, and search (a GET form, so it works before any script loads, and the URL keeps it),
 * newest first; "Older entries" follows the cursor.
 */
export function AuditLogView({
  page,
  names,
  actors,
  filters,
  basePath,
}: {
  page: AuditPage;
  names: AuditNames;
  actors: { id: string; name: string }[];
  filters: AuditFilters;
  basePath: string;
}) {
  const { cursor, ...kept } = filters;
  const href = (params: Record<string, string | undefined>) => {
    const search = new URLSearchParams(
      Object.entries(params).filter((e): e is [string, string] => !!e[1]),
    );
    return search.size ? `${basePath}?${search}` : basePath;
  };
  const filtered = Object.values(kept).some(Boolean);
  return (
    <div className="space-y-4">
      {/* Keyed by the filters: a client-side navigation (Clear) must show the new filters, and
          uncontrolled fields keep their old values unless the form remounts. */}
      <form
        key={JSON.stringify(kept)}
        method="get"
        action={basePath}
        role="search"
        aria-label="Filter the audit log"
        className="grid gap-2 sm:grid-cols-2 lg:flex lg:flex-wrap lg:items-end"
      >
        <label className="space-y-1 lg:w-56">
          <span className="block text-xs font-medium text-zinc-600">Search</span>
          <input
            type="search"
            name="q"
            defaultValue={filters.q}
            placeholder="Name, email, key, URL…"
            className={inputClass}
          />
        </label>
        <label className="space-y-1 lg:w-44">
          <span className="block text-xs font-medium text-zinc-600">Who</span>
          <select name="actor" defaultValue={filters.actor} className={inputClass}>
            <option value="">Anyone</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 lg:w-44">
          <span className="block text-xs font-medium text-zinc-600">What</span>
          <select name="area" defaultValue={filters.area} className={inputClass}>
            {AUDIT_AREAS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 lg:w-40">
          <span className="block text-xs font-medium text-zinc-600">From</span>
          <input type="date" name="from" defaultValue={filters.from} className={inputClass} />
        </label>
        <label className="space-y-1 lg:w-40">
          <span className="block text-xs font-medium text-zinc-600">To</span>
          <input type="date" name="to" defaultValue={filters.to} className={inputClass} />
        </label>
        <div className="flex gap-2">
          <button type="submit" className={buttonClass("secondary")}>
            Filter
          </button>
          {filtered ? (
            <Link href={basePath} className={buttonClass("ghost")}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>
      {page.entries.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
          {filtered ? "Nothing matches these filters." : "No entries yet."}
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
              className="grid gap-0.5 px-4 py-3 text-sm sm:grid-cols-[11rem_minmax(0,1fr)] sm:gap-4"
            >
              <span className="text-xs text-zinc-600">
                <TimeText value={e.createdAt} />
              </span>
              <span className="min-w-0 break-words text-zinc-800" dir="auto">
                {auditSentence(e, names)}.
              </span>
            </li>
          ))}
        </ol>
      )}
      <div className="flex gap-2">
        {cursor ? (
          <Link href={href(kept)} className={buttonClass("ghost")}>
            Newest
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link
            href={href({ ...kept, cursor: page.nextCursor })}
            className={buttonClass("secondary")}
          >
            Older entries
          </Link>
        ) : null}
      </div>
    </div>
  );
}
