"use client";

import { useCallback, useState } from "react";
import { clsx } from "clsx";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { BalanceRow } from "../balance-row";
import { ManageBalanceDialog } from "./manage-balance-dialog";
import { Badge } from "@/components/ui/badge";

/** Admin → Balances: every team and user with this month's balance, and a dialog to change it. */
export function BalancesTable({
  rows,
  currency,
  search,
}: {
  rows: BalanceRow[];
  currency: string;
  search: string;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const close = useCallback(() => setEditing(null), []);
  // The row is looked up on each render so that the dialog shows the figures after a change.
  const current = rows.find((r) => r.ref === editing) ?? null;
  const owner = (row: BalanceRow) => (
    <>
      <p className="flex items-center gap-2 font-medium text-zinc-900">
        <span className="truncate" title={row.name}>
          {row.name}
        </span>
        <span
          className={clsx(
            "shrink-0 rounded-full px-2 py-0.5 text-xs font-medium",
            row.kind === "team" ? "bg-sky-50 text-sky-700" : "bg-zinc-100 text-zinc-600",
          )}
        >
          {row.kind === "team" ? "Team" : "User"}
        </span>
        {row.disabled ? (
          <Badge tone="red" className="shrink-0">
            Disabled
          </Badge>
        ) : null}
      </p>
      {row.email ? (
        <p className="truncate text-zinc-500" title={row.email}>
          {row.email}
        </p>
      ) : null}
    </>
  );
  const overage = (row: BalanceRow) =>
    row.blocked ? (
      <Badge tone="amber">Off · blocked</Badge>
    ) : row.overageEnabled ? (
      <Badge tone="green">On</Badge>
    ) : (
      <Badge tone="gray">Off</Badge>
    );
  const manage = (row: BalanceRow) => (
    <Button
      variant="secondary"
      aria-label={`Manage balance of ${row.name}`}
      onClick={() => setEditing(row.ref)}
    >
      Manage
    </Button>
  );
  return (
    <div className="space-y-4">
      <form role="search" className="max-w-sm">
        <label htmlFor="balance-search" className="sr-only">
          Search users and teams
        </label>
        <input
          id="balance-search"
          name="q"
          type="search"
          defaultValue={search}
          placeholder="Search users and teams"
          className={inputClass}
        />
      </form>
      {rows.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
          {search ? `No users or teams match “${search}”.` : "No users or teams yet."}
        </p>
      ) : (
        <>
          {/* relative: the sr-only header is absolutely positioned and would otherwise widen the page. */}
          <div className="relative hidden overflow-x-auto rounded-xl border border-zinc-200 bg-white md:block">
            <table className="min-w-full text-sm">
              <thead className="bg-zinc-50 text-left text-xs font-semibold text-zinc-600">
                <tr>
                  <th scope="col" className="px-4 py-3">
                    Owner
                  </th>
                  <th scope="col" className="px-4 py-3 text-right">
                    Included / month
                  </th>
                  <th scope="col" className="px-4 py-3 text-right">
                    Included left
                  </th>
                  <th scope="col" className="px-4 py-3 text-right">
                    Prepaid left
                  </th>
                  <th scope="col" className="px-4 py-3 text-right">
                    Overage this month
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Overage
                  </th>
                  <th scope="col" className="px-4 py-3">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {rows.map((row) => (
                  <tr key={row.ref}>
                    <td className="max-w-xs px-4 py-3">{owner(row)}</td>
                    <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">
                      {row.includedMonthly}
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">
                      {row.includedLeft}
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">
                      {row.prepaidLeft}
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">
                      {row.overageThisMonth}
                    </td>
                    <td className="whitespace-nowrap px-4 py-3">{overage(row)}</td>
                    <td className="whitespace-nowrap px-4 py-3 text-right">{manage(row)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="border-t border-zinc-100 px-4 py-2 text-xs text-zinc-500">
              Amounts in {currency}. Months are UTC.
            </p>
          </div>
          {/* On a phone each owner is a card: the table's seven columns do not fit. */}
          <ul aria-label="Balances" className="space-y-3 md:hidden">
            {rows.map((row) => (
              <li key={row.ref} className="rounded-xl border border-zinc-200 bg-white p-4 text-sm">
                <div className="min-w-0">{owner(row)}</div>
                <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
                  <dt className="text-zinc-500">Included / month</dt>
                  <dd className="tabular-nums">
                    {row.includedMonthly} {currency}
                  </dd>
                  <dt className="text-zinc-500">Included left</dt>
                  <dd className="tabular-nums">
                    {row.includedLeft} {currency}
                  </dd>
                  <dt className="text-zinc-500">Prepaid left</dt>
                  <dd className="tabular-nums">
                    {row.prepaidLeft} {currency}
                  </dd>
                  <dt className="text-zinc-500">Overage this month</dt>
                  <dd className="tabular-nums">
                    {row.overageThisMonth} {currency}
                  </dd>
                  <dt className="text-zinc-500">Overage</dt>
                  <dd>{overage(row)}</dd>
                </dl>
                <div className="mt-3 border-t border-zinc-100 pt-3">{manage(row)}</div>
              </li>
            ))}
          </ul>
        </>
      )}
      <ManageBalanceDialog row={current} currency={currency} onClose={close} />
    </div>
  );
}
