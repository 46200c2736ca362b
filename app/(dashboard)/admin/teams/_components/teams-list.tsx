"use client";

import { useCallback, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { TimeText } from "@/components/ui/time-text";
import type { CaptureChoice } from "@/lib/requests/capture-form";
import { PayloadCaptureForm } from "../../_capture/payload-capture-form";
import type { BalanceRow } from "../../balances/balance-row";
import { ManageBalanceDialog } from "../../balances/_components/manage-balance-dialog";

export interface TeamCard {
  id: string;
  name: string;
  createdAt: string;
  members: { userId: string; name: string; email: string; role: "admin" | "member" }[];
  balance: BalanceRow;
  capture: { capture: CaptureChoice; samplePercent: string };
}

/** Admin → Teams: each team, who is in it, and its balance (changed from here or Admin → Balances). */
export function TeamsList({
  teams,
  currency,
  search,
  emptyText,
}: {
  teams: TeamCard[];
  currency: string;
  search: string;
  /** What to say when there is no team at all (who may create one depends on the settings). */
  emptyText: string;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const close = useCallback(() => setEditing(null), []);
  const current = teams.find((t) => t.id === editing)?.balance ?? null;
  return (
    <div className="space-y-4">
      <form role="search" className="max-w-sm">
        <label htmlFor="team-search" className="sr-only">
          Search teams
        </label>
        <input
          id="team-search"
          name="q"
          type="search"
          defaultValue={search}
          placeholder="Search teams by name"
          className={inputClass}
        />
      </form>
      {teams.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
          {search ? `No teams match “${search}”.` : emptyText}
        </p>
      ) : (
        <ul className="grid grid-cols-1 gap-4 xl:grid-cols-2">
          {teams.map((team) => (
            <li key={team.id} className="min-w-0">
              <section
                aria-label={team.name}
                className="h-full rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
              >
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <h2 className="truncate text-base font-semibold">{team.name}</h2>
                    <p className="text-xs text-zinc-500">
                      {team.members.length} {team.members.length === 1 ? "member" : "members"} ·
                      created <TimeText value={team.createdAt} />
                    </p>
                  </div>
                  <Button
                    variant="secondary"
                    aria-label={`Manage balance of ${team.name}`}
                    onClick={() => setEditing(team.id)}
                  >
                    Manage balance
                  </Button>
                </div>
                <dl className="mt-4 grid grid-cols-2 gap-3 rounded-lg bg-zinc-50 p-3 text-sm sm:grid-cols-4">
                  <div>
                    <dt className="text-xs text-zinc-500">Included left</dt>
                    <dd className="font-medium tabular-nums">{team.balance.includedLeft}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-zinc-500">Prepaid left</dt>
                    <dd className="font-medium tabular-nums">{team.balance.prepaidLeft}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-zinc-500">Overage this month</dt>
                    <dd className="font-medium tabular-nums">{team.balance.overageThisMonth}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-zinc-500">Overage</dt>
                    <dd className="font-medium">
                      {team.balance.blocked
                        ? "Off · blocked"
                        : team.balance.overageEnabled
                          ? "On"
                          : "Off"}
                    </dd>
                  </div>
                </dl>
                <h3 className="mt-4 text-xs font-semibold text-zinc-600">Members</h3>
                <ul className="mt-2 divide-y divide-zinc-100">
                  {team.members.map((m) => (
                    <li
                      key={m.userId}
                      className="flex items-center justify-between gap-3 py-2 text-sm"
                    >
                      <span className="min-w-0">
                        <span className="block truncate font-medium">{m.name}</span>
                        <span className="block truncate text-xs text-zinc-500">{m.email}</span>
                      </span>
                      <span
                        className={
                          m.role === "admin"
                            ? "rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700"
                            : "rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-600"
                        }
                      >
                        {m.role === "admin" ? "Team admin" : "Member"}
                      </span>
                    </li>
                  ))}
                </ul>
                <details className="mt-4 border-t border-zinc-100 pt-3">
                  <summary className="cursor-pointer text-sm font-medium text-zinc-700">
                    Payload capture:{" "}
                    {team.capture.capture === "inherit"
                      ? "as the instance"
                      : team.capture.capture === "on"
                        ? `on, ${team.capture.samplePercent}%`
                        : "off"}
                  </summary>
                  <div className="mt-3">
                    <PayloadCaptureForm level="team" id={team.id} saved={team.capture} />
                  </div>
                </details>
              </section>
            </li>
          ))}
        </ul>
      )}
      <p className="text-xs text-zinc-500">Amounts in {currency}. Months are UTC.</p>
      <ManageBalanceDialog row={current} currency={currency} onClose={close} />
    </div>
  );
}
