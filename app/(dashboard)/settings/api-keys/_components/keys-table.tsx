"use client";

import {
  createPaginatedRowModel,
  createSortedRowModel,
  rowPaginationFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { useMemo } from "react";
import { clsx } from "clsx";
import { TimeText } from "@/components/ui/time-text";
import { keyStatuses } from "@/lib/keys/status";
import type { KeyListProps, KeyRow } from "../key-row";
import { KeyCards } from "./key-cards";
import { KeyName } from "./key-name";
import { Pager } from "./pager";
import { RowActionsMenu } from "./row-actions-menu";
import { SpendBar } from "./spend-bar";
import { StatusBadge } from "./status-badge";

const features = tableFeatures({
  rowSortingFeature,
  rowPaginationFeature,
  sortedRowModel: createSortedRowModel(),
  paginatedRowModel: createPaginatedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});

type Column = ColumnDef<typeof features, KeyRow>;

/** Rows per page: a long list stays quick to render and to scroll past. */
export const PAGE_SIZE = 50;

/** Keys that have never expired / been used sort last, not first. */
const timeOrder = (value: string | null) => (value ? Date.parse(value) : Number.MAX_SAFE_INTEGER);
const statusOrder = (status: string) => (keyStatuses as readonly string[]).indexOf(status);

/** Sorting and page, held by the parent so that the URL keeps them. */
export interface TableView {
  sorting: SortingState;
  pageIndex: number;
  onSortingChange: (sorting: SortingState) => void;
  onPageChange: (pageIndex: number) => void;
}

export function KeysTable(props: KeyListProps & { view: TableView }) {
  const { rows, currency, showCreator, onEdit, onRevoke, onPause, onRoll, view } = props;
  const columns = useMemo<Column[]>(() => {
    const list: Column[] = [
      {
        id: "name",
        accessorFn: (row) => row.name.toLowerCase(),
        header: "Name",
        sortFn: "alphanumeric",
        cell: ({ row }) => <KeyName row={row.original} truncate link />,
      },
      {
        id: "key",
        accessorFn: (row) => row.display,
        header: "Key",
        enableSorting: false,
        cell: ({ row }) => (
          <code className="whitespace-nowrap font-mono text-xs text-zinc-700">
            {row.original.display}
          </code>
        ),
      },
      {
        id: "status",
        accessorFn: (row) => statusOrder(row.status),
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
          <SpendBar
            spend={row.original.spend}
            limit={row.original.spendingLimit}
            remaining={row.original.remaining}
            percent={row.original.percentUsed}
            currency={currency}
            management={row.original.type === "management"}
          />
        ),
      },
      {
        id: "expires",
        accessorFn: (row) => timeOrder(row.expiresAt),
        header: "Expires",
        sortFn: "basic",
        cell: ({ row }) => <TimeText value={row.original.expiresAt} />,
      },
      {
        id: "created",
        accessorFn: (row) => Date.parse(row.createdAt),
        header: "Created",
        sortFn: "basic",
        cell: ({ row }) => <TimeText value={row.original.createdAt} />,
      },
      {
        id: "lastUsed",
        accessorFn: (row) => (row.lastUsedAt ? Date.parse(row.lastUsedAt) : 0),
        header: "Last used",
        sortFn: "basic",
        cell: ({ row }) => <TimeText value={row.original.lastUsedAt} />,
      },
    ];
    if (showCreator) {
      list.push({
        id: "createdBy",
        accessorFn: (row) => row.createdByName.toLowerCase(),
        header: "Created by",
        sortFn: "alphanumeric",
        cell: ({ row }) => (
          <div title={row.original.createdByName} className="max-w-28 truncate">
            {row.original.createdByName}
          </div>
        ),
      });
    }
    list.push({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      cell: ({ row }) => (
        <RowActionsMenu
          row={row.original}
          onEdit={onEdit}
          onRevoke={onRevoke}
          onPause={onPause}
          onRoll={onRoll}
        />
      ),
    });
    return list;
  }, [currency, showCreator, onEdit, onRevoke, onPause, onRoll]);

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    state: {
      sorting: view.sorting,
      pagination: { pageIndex: view.pageIndex, pageSize: PAGE_SIZE },
    },
    onSortingChange: (updater) =>
      view.onSortingChange(typeof updater === "function" ? updater(view.sorting) : updater),
    onPaginationChange: (updater) => {
      const current = { pageIndex: view.pageIndex, pageSize: PAGE_SIZE };
      view.onPageChange((typeof updater === "function" ? updater(current) : updater).pageIndex);
    },
    autoResetPageIndex: false,
  });
  const pageRows = table.getRowModel().rows;

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
                      aria-sort={
                        sorted === "asc"
                          ? "ascending"
                          : sorted === "desc"
                            ? "descending"
                            : undefined
                      }
                      className={clsx(
                        "whitespace-nowrap px-2.5 py-2.5 text-left text-xs font-semibold text-zinc-600",
                        header.column.id === "actions" && "sticky right-0 bg-zinc-50",
                      )}
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
            {pageRows.map((row) => (
              <tr
                key={row.id}
                className={clsx(row.original.status === "revoked" && "text-zinc-500")}
              >
                {row.getAllCells().map((cell) => (
                  <td
                    key={cell.id}
                    className={clsx(
                      "px-2.5 py-3 align-middle",
                      // Always on screen, even if a narrow window makes the table scroll sideways.
                      cell.column.id === "actions" && "sticky right-0 w-10 bg-white text-right",
                    )}
                  >
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <KeyCards {...props} rows={pageRows.map((row) => row.original)} />
      {table.getPageCount() > 1 ? (
        <Pager
          page={table.state.pagination.pageIndex + 1}
          pages={table.getPageCount()}
          onPrevious={table.getCanPreviousPage() ? () => table.previousPage() : undefined}
          onNext={table.getCanNextPage() ? () => table.nextPage() : undefined}
        />
      ) : null}
    </>
  );
}
