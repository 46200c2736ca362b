"use client";

import {
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
  type ColumnDef,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, BarChart3, Pencil, Trash2 } from "lucide-react";
import Link from "next/link";
import { useMemo } from "react";
import { clsx } from "clsx";
import type { KeyRow } from "../key-row";
import { LocalTime } from "./local-time";
import { SpendBar } from "./spend-bar";
import { StatusBadge } from "./status-badge";

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});

type Column = ColumnDef<typeof features, KeyRow>;

/** Keys that have never expired / been used sort last, not first. */
const timeOrder = (value: string | null) => (value ? Date.parse(value) : Number.MAX_SAFE_INTEGER);
const statusOrder = { active: 0, limit_reached: 1, expired: 2, revoked: 3 } as const;

export function KeysTable({
  rows,
  currency,
  showCreator,
  onEdit,
  onRevoke,
}: {
  rows: KeyRow[];
  currency: string;
  showCreator: boolean;
  onEdit: (row: KeyRow) => void;
  onRevoke: (row: KeyRow) => void;
}) {
  const columns = useMemo<Column[]>(() => {
    const list: Column[] = [
      {
        id: "name",
        accessorFn: (row) => row.name.toLowerCase(),
        header: "Name",
        sortFn: "alphanumeric",
        cell: ({ row }) => (
          <div className="min-w-28 max-w-48">
            <div className="font-medium text-zinc-900 break-words">{row.original.name}</div>
            {row.original.type === "management" ? <div className="text-xs text-zinc-500">Management</div> : null}
          </div>
        ),
      },
      {
        id: "key",
        accessorFn: (row) => row.display,
        header: "Key",
        enableSorting: false,
        cell: ({ row }) => <code className="whitespace-nowrap font-mono text-xs text-zinc-700">{row.original.display}</code>,
      },
      {
        id: "status",
        accessorFn: (row) => statusOrder[row.status],
        header: "Status",
        sortFn: "basic",
        cell: ({ row }) => <StatusBadge status={row.original.status} />,
      },
      {
        id: "spend",
        accessorFn: (row) => row.spendOrder,
        header: "Spend / Limit",
        sortFn: "basic",
        cell: ({ row }) => (
          <SpendBar spend={row.original.spend} limit={row.original.spendingLimit} percent={row.original.percentUsed} currency={currency} />
        ),
      },
      {
        id: "expires",
        accessorFn: (row) => timeOrder(row.expiresAt),
        header: "Expires",
        sortFn: "basic",
        cell: ({ row }) => <LocalTime value={row.original.expiresAt} />,
      },
      {
        id: "created",
        accessorFn: (row) => Date.parse(row.createdAt),
        header: "Created",
        sortFn: "basic",
        cell: ({ row }) => <LocalTime value={row.original.createdAt} />,
      },
      {
        id: "lastUsed",
        accessorFn: (row) => (row.lastUsedAt ? Date.parse(row.lastUsedAt) : 0),
        header: "Last used",
        sortFn: "basic",
        cell: ({ row }) => <LocalTime value={row.original.lastUsedAt} />,
      },
    ];
    if (showCreator) {
      list.push({
        id: "createdBy",
        accessorFn: (row) => row.createdByName.toLowerCase(),
        header: "Created by",
        sortFn: "alphanumeric",
        cell: ({ row }) => <span className="whitespace-nowrap">{row.original.createdByName}</span>,
      });
    }
    list.push({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      cell: ({ row }) => (
        <div className="flex justify-end gap-1">
          <Link href={`/usage?key=${row.original.id}`} className={rowButton}>
            <BarChart3 aria-hidden className="h-3.5 w-3.5" />
            Usage<span className="sr-only"> of {row.original.name}</span>
          </Link>
          {row.original.status === "revoked" ? null : (
            <>
              <button type="button" onClick={() => onEdit(row.original)} className={rowButton}>
                <Pencil aria-hidden className="h-3.5 w-3.5" />
                Edit<span className="sr-only"> {row.original.name}</span>
              </button>
              <button type="button" onClick={() => onRevoke(row.original)} className={clsx(rowButton, "text-red-700 hover:bg-red-50")}>
                <Trash2 aria-hidden className="h-3.5 w-3.5" />
                Revoke<span className="sr-only"> {row.original.name}</span>
              </button>
            </>
          )}
        </div>
      ),
    });
    return list;
  }, [currency, showCreator, onEdit, onRevoke]);

  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });

  return (
    <>
      {/* relative: the sr-only labels inside are clipped here instead of widening the whole page. */}
      <div className="relative hidden overflow-x-auto rounded-xl border border-zinc-200 bg-white md:block">
        <table className="min-w-full divide-y divide-zinc-200 text-sm">
          <thead className="bg-zinc-50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                      className="whitespace-nowrap px-2.5 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-zinc-600"
                    >
                      {canSort ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 rounded hover:text-zinc-900"
                        >
                          <table.FlexRender header={header} />
                          {sorted === "asc" ? (
                            <ArrowUp aria-hidden className="h-3.5 w-3.5" />
                          ) : sorted === "desc" ? (
                            <ArrowDown aria-hidden className="h-3.5 w-3.5" />
                          ) : (
                            <ArrowUpDown aria-hidden className="h-3.5 w-3.5 text-zinc-400" />
                          )}
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className={clsx(row.original.status === "revoked" && "bg-zinc-50/60 text-zinc-500")}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="px-2.5 py-3 align-middle">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {/* On a phone each key is a card: nine columns do not fit, and sideways scrolling hides the actions. */}
      <ul className="space-y-3 md:hidden" aria-label="API keys">
        {table.getRowModel().rows.map(({ original: key }) => (
          <li key={key.id} className={clsx("rounded-xl border border-zinc-200 bg-white p-4", key.status === "revoked" && "text-zinc-500")}>
            <div className="flex items-start justify-between gap-3">
              <div className="min-w-0">
                <p className="break-words font-medium text-zinc-900">{key.name}</p>
                <code className="font-mono text-xs text-zinc-600">{key.display}</code>
                {key.type === "management" ? <span className="ml-2 text-xs text-zinc-500">Management</span> : null}
              </div>
              <StatusBadge status={key.status} />
            </div>
            <div className="mt-3">
              <SpendBar spend={key.spend} limit={key.spendingLimit} percent={key.percentUsed} currency={currency} />
            </div>
            <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-xs">
              <dt className="text-zinc-500">Expires</dt>
              <dd><LocalTime value={key.expiresAt} /></dd>
              <dt className="text-zinc-500">Created</dt>
              <dd><LocalTime value={key.createdAt} /></dd>
              <dt className="text-zinc-500">Last used</dt>
              <dd><LocalTime value={key.lastUsedAt} /></dd>
              {showCreator ? (
                <>
                  <dt className="text-zinc-500">Created by</dt>
                  <dd>{key.createdByName}</dd>
                </>
              ) : null}
            </dl>
            <div className="mt-3 flex gap-2 border-t border-zinc-100 pt-3">
              <Link href={`/usage?key=${key.id}`} className={clsx(rowButton, "border border-zinc-200 px-3 py-1.5")}>
                <BarChart3 aria-hidden className="h-3.5 w-3.5" />
                Usage<span className="sr-only"> of {key.name}</span>
              </Link>
              {key.status === "revoked" ? null : (
                <>
                  <button type="button" onClick={() => onEdit(key)} className={clsx(rowButton, "border border-zinc-200 px-3 py-1.5")}>
                    <Pencil aria-hidden className="h-3.5 w-3.5" />
                    Edit<span className="sr-only"> {key.name}</span>
                  </button>
                  <button type="button" onClick={() => onRevoke(key)} className={clsx(rowButton, "border border-red-200 px-3 py-1.5 text-red-700 hover:bg-red-50")}>
                    <Trash2 aria-hidden className="h-3.5 w-3.5" />
                    Revoke<span className="sr-only"> {key.name}</span>
                  </button>
                </>
              )}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

const rowButton =
  "inline-flex items-center gap-1 rounded-md px-1.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2";
