import { BarChart3, Pause, Pencil, Play, RefreshCcw, Trash2 } from "lucide-react";
import Link from "next/link";
import { clsx } from "clsx";
import { TimeText } from "@/components/ui/time-text";
import type { KeyListProps } from "../key-row";
import { KeyName } from "./key-name";
import { SpendBar } from "./spend-bar";
import { StatusBadge } from "./status-badge";

const cardButton =
  "inline-flex items-center gap-1 rounded-md border border-zinc-200 px-3 py-1.5 text-xs font-medium text-zinc-700 hover:bg-zinc-100";

/** On a phone each key is a card: nine columns do not fit, and sideways scrolling hides the actions. */
export function KeyCards({ rows, currency, showCreator, ...actions }: KeyListProps) {
  const { onEdit, onRevoke, onPause, onRoll } = actions;
  return (
    <ul className="space-y-3 md:hidden" aria-label="API keys">
      {rows.map((key) => (
        <li
          key={key.id}
          className={clsx(
            "rounded-xl border border-zinc-200 bg-white p-4",
            key.status === "revoked" && "text-zinc-500",
          )}
        >
          <div className="flex items-start justify-between gap-3">
            <div className="min-w-0">
              <KeyName row={key} truncate={false} link />
              <code className="font-mono text-xs text-zinc-600">{key.display}</code>
            </div>
            <StatusBadge status={key.status} />
          </div>
          <div className="mt-3">
            <SpendBar
              spend={key.spend}
              limit={key.spendingLimit}
              remaining={key.remaining}
              percent={key.percentUsed}
              currency={currency}
              management={key.type === "management"}
            />
          </div>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
            <dt className="text-zinc-500">Expires</dt>
            <dd>
              <TimeText value={key.expiresAt} />
            </dd>
            <dt className="text-zinc-500">Created</dt>
            <dd>
              <TimeText value={key.createdAt} />
            </dd>
            <dt className="text-zinc-500">Last used</dt>
            <dd>
              <TimeText value={key.lastUsedAt} />
            </dd>
            {showCreator ? (
              <>
                <dt className="text-zinc-500">Created by</dt>
                <dd className="break-words">{key.createdByName}</dd>
              </>
            ) : null}
          </dl>
          <div className="mt-3 flex flex-wrap gap-2 border-t border-zinc-100 pt-3">
            <Link href={`/usage?key=${key.id}`} className={cardButton}>
              <BarChart3 aria-hidden className="h-3.5 w-3.5" />
              Usage<span className="sr-only"> of {key.name}</span>
            </Link>
            {key.status === "revoked" ? null : (
              <>
                <button
                  type="button"
                  data-focus-return={key.id}
                  onClick={() => onEdit(key)}
                  className={cardButton}
                >
                  <Pencil aria-hidden className="h-3.5 w-3.5" />
                  Edit<span className="sr-only"> {key.name}</span>
                </button>
                {key.isPlayground ? null : (
                  <>
                    <button
                      type="button"
                      onClick={() => onPause(key, !key.paused)}
                      className={cardButton}
                    >
                      {key.paused ? (
                        <Play aria-hidden className="h-3.5 w-3.5" />
                      ) : (
                        <Pause aria-hidden className="h-3.5 w-3.5" />
                      )}
                      {key.paused ? "Resume" : "Pause"}
                      <span className="sr-only"> {key.name}</span>
                    </button>
                    <button type="button" onClick={() => onRoll(key)} className={cardButton}>
                      <RefreshCcw aria-hidden className="h-3.5 w-3.5" />
                      Roll<span className="sr-only"> {key.name}</span>
                    </button>
                  </>
                )}
                <button
                  type="button"
                  onClick={() => onRevoke(key)}
                  className={clsx(cardButton, "border-red-200 text-red-700 hover:bg-red-50")}
                >
                  <Trash2 aria-hidden className="h-3.5 w-3.5" />
                  Revoke<span className="sr-only"> {key.name}</span>
                </button>
              </>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
