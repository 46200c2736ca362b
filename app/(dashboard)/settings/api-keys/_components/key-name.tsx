import Link from "next/link";
import type { KeyRow } from "../key-row";
import { KeyControlsSummary } from "./key-controls-summary";

/** The key's name, cut to one line in the table with the full name on hover; its type and the Playground's key marked. */
export function KeyName({
  row,
  truncate,
  link = false,
}: {
  row: KeyRow;
  truncate: boolean;
  /** The name opens the key's own page. */
  link?: boolean;
}) {
  const nameClass = truncate
    ? "block truncate font-medium text-zinc-900"
    : "block break-words font-medium text-zinc-900";
  return (
    <div className={truncate ? "min-w-0 max-w-48" : "min-w-0"}>
      {link ? (
        <Link
          href={`/settings/api-keys/${row.id}`}
          title={row.name}
          dir="auto"
          className={`${nameClass} hover:text-brand-700 hover:underline`}
        >
          {row.name}
        </Link>
      ) : (
        <div title={row.name} dir="auto" className={nameClass}>
          {row.name}
        </div>
      )}
      {row.type === "management" ? <div className="text-xs text-zinc-500">Management</div> : null}
      {row.isPlayground ? (
        <div className="text-xs text-zinc-500">Used by the Playground</div>
      ) : null}
      {row.status === "revoked" ? null : <KeyControlsSummary row={row} />}
    </div>
  );
}
