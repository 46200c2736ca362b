import type { KeyRow } from "../key-row";
import { KeyControlsSummary } from "./key-controls-summary";

/** The key's name, cut to one line in the table with the full name on hover; its type and the Playground's key marked. */
export function KeyName({ row, truncate }: { row: KeyRow; truncate: boolean }) {
  return (
    <div className={truncate ? "min-w-0 max-w-48" : "min-w-0"}>
      <div
        title={row.name}
        className={
          truncate ? "truncate font-medium text-zinc-900" : "break-words font-medium text-zinc-900"
        }
      >
        {row.name}
      </div>
      {row.type === "management" ? <div className="text-xs text-zinc-500">Management</div> : null}
      {row.isPlayground ? (
        <div className="text-xs text-zinc-500">Used by the Playground</div>
      ) : null}
      {row.status === "revoked" ? null : <KeyControlsSummary row={row} />}
    </div>
  );
}
