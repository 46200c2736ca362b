"use client";

import { Plus, RefreshCw, Search } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useTransition } from "react";
import type { SortingState } from "@tanstack/react-table";
import { clsx } from "clsx";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { focusReturnTarget } from "@/components/ui/focus-return";
import { keyStatusLabel } from "@/lib/format/key-status";
import { keyStatuses } from "@/lib/keys/status";
import type { KeyRow } from "../key-row";
import { CreateKeyDialog, type OwnerOption } from "./create-key-dialog";
import { EditKeyDialog } from "./edit-key-dialog";
import { KeysTable, PAGE_SIZE } from "./keys-table";
import { listViewHref, readListView } from "./list-view-url";
import { RevokeKeyDialog } from "./revoke-key-dialog";
import { toast } from "sonner";
import { pauseKeyAction } from "../actions";
import { AlertNotices, type NoticeRow } from "./alert-notices";
import { RollKeyDialog } from "./roll-key-dialog";

export function ApiKeysView({
  owner,
  owners,
  isTeamAdmin,
  keys,
  currency,
  baseUrl,
  maxActiveKeys,
  enabledModels,
  notices,
}: {
  owner: string;
  owners: OwnerOption[];
  isTeamAdmin: boolean;
  keys: KeyRow[];
  currency: string;
  baseUrl: string;
  /** The account's cap of active keys, for the "N / 50 active" counter. */
  maxActiveKeys: number;
  /** Enabled model names, for the show-once dialog's ready-made curl. */
  enabledModels: string[];
  /** Spending alerts not yet dismissed. */
  notices: NoticeRow[];
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [loading, startLoading] = useTransition();
  // Search, filter, sort and page live in the URL, so a reload, Back or a shared link keeps them.
  const initial = readListView(useSearchParams());
  const [search, setSearch] = useState(initial.q);
  // Revoked keys are history: hidden unless the filter asks for them.
  const [status, setStatus] = useState<StatusFilter>(initial.status);
  const [sorting, setSorting] = useState<SortingState>(initial.sorting);
  const [pageIndex, setPageIndex] = useState(initial.pageIndex);
  useEffect(() => {
    const href = listViewHref(pathname, owner, { q: search, status, sorting, pageIndex });
    if (href !== `${window.location.pathname}${window.location.search}`)
      window.history.replaceState(null, "", href);
  }, [pathname, owner, search, status, sorting, pageIndex]);
  const [createSession, setCreateSession] = useState(0);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<KeyRow | null>(null);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const [rolling, setRolling] = useState<KeyRow | null>(null);
  const justRevoked = useRef<string | null>(null);

  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return keys.filter(
      (key) =>
        (!needle || key.name.toLowerCase().includes(needle)) && matchesStatus(key.status, status),
    );
  }, [keys, search, status]);
  // The Playground's own key does not count against the cap (lib/keys/create-key.ts).
  const activeCount = keys.filter(
    (key) => (key.status === "active" || key.status === "paused") && !key.isPlayground,
  ).length;
  const revokedCount = keys.filter((key) => key.status === "revoked").length;

  const onEdit = useCallback((row: KeyRow) => setEditing(row), []);
  const onRevoke = useCallback((row: KeyRow) => setRevoking(row), []);
  const onRoll = useCallback((row: KeyRow) => setRolling(row), []);
  const onPause = useCallback(
    (row: KeyRow, paused: boolean) =>
      startLoading(async () => {
        const result = await pauseKeyAction(row.id, paused);
        if (result.ok)
          toast.success(
            paused
              ? `Paused "${row.name}". Requests with it are refused until you resume it.`
              : `Resumed "${row.name}".`,
          );
        else toast.error(result.error ?? "Something went wrong.");
      }),
    [],
  );
  const refresh = () => startLoading(() => router.refresh());

  return (
    <div className="space-y-4">
      <AlertNotices notices={notices} currency={currency} />
      <div className="flex flex-col gap-3 lg:flex-row lg:items-end lg:justify-between">
        <div className="grid gap-2 sm:grid-cols-[minmax(10rem,14rem)_minmax(12rem,1fr)_minmax(9rem,12rem)] lg:flex-1">
          <label className="space-y-1">
            <span className="block text-xs font-medium text-zinc-600">Owner</span>
            <select
              value={owner}
              onChange={(e) => startLoading(() => router.push(ownerHref(pathname, e.target.value)))}
              className={inputClass}
            >
              {owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          <label className="space-y-1">
            <span className="block text-xs font-medium text-zinc-600">Search</span>
            <span className="relative block">
              <Search
                aria-hidden
                className="pointer-events-none absolute left-3 top-2.5 h-4 w-4 text-zinc-400"
              />
              <input
                type="search"
                value={search}
                onChange={(e) => {
                  setSearch(e.target.value);
                  setPageIndex(0);
                }}
                placeholder="Search by name"
                className={clsx(inputClass, "pl-9")}
              />
            </span>
          </label>
          <label className="space-y-1">
            <span className="block text-xs font-medium text-zinc-600">Status</span>
            <select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value);
                setPageIndex(0);
              }}
              className={inputClass}
            >
              <option value={NOT_REVOKED}>All but revoked</option>
              <option value="">All statuses</option>
              {keyStatuses.map((s) => (
                <option key={s} value={s}>
                  {keyStatusLabel(s)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={refresh} disabled={loading} aria-busy={loading}>
            <RefreshCw aria-hidden className={clsx("h-4 w-4", loading && "animate-spin")} />
            Refresh
          </Button>
          <Button
            data-focus-return="create-key"
            onClick={() => {
              setCreateSession((n) => n + 1);
              setCreating(true);
            }}
          >
            <Plus aria-hidden className="h-4 w-4" />
            Create API Key
          </Button>
        </div>
      </div>

      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <p className="font-medium text-zinc-700" data-testid="active-key-counter">
          {activeCount} / {maxActiveKeys} active
        </p>
        {activeCount >= maxActiveKeys ? (
          <p className="text-amber-800">At the cap: revoke a key to create another here.</p>
        ) : null}
        {/* Only the counts are announced: the list itself is not re-read on every keystroke. */}
        <p role="status" className="text-xs text-zinc-500">
          {keys.length === 0
            ? ""
            : `Showing ${shownRange(rows.length, pageIndex)} of ${keys.length} key${keys.length === 1 ? "" : "s"}${
                status === NOT_REVOKED && revokedCount > 0
                  ? ` (${revokedCount} revoked hidden)`
                  : ""
              }`}
        </p>
      </div>

      <div
        aria-busy={loading}
        className={clsx("space-y-3 transition-opacity", loading && "opacity-60")}
      >
        {keys.length === 0 ? (
          <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-12 text-center">
            <p className="text-sm font-medium text-zinc-900">No API keys yet</p>
            <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600">
              {owner === "personal"
                ? "Create a key to let an application call models through ModelBridge. You will see it once, so have somewhere safe to paste it."
                : isTeamAdmin
                  ? "This team has no keys yet. Keys created here are charged to the team."
                  : "You have not created any keys for this team. Keys you create here are charged to the team."}
            </p>
          </div>
        ) : rows.length === 0 ? (
          <div className="rounded-xl border border-zinc-200 bg-white px-6 py-10 text-center text-sm text-zinc-600">
            {status === NOT_REVOKED && !search.trim()
              ? "Every key here is revoked. Choose All statuses to see them."
              : "No keys match your search and filter."}
          </div>
        ) : (
          <KeysTable
            view={{
              sorting,
              pageIndex: Math.min(pageIndex, Math.max(0, Math.ceil(rows.length / PAGE_SIZE) - 1)),
              onSortingChange: setSorting,
              onPageChange: setPageIndex,
            }}
            rows={rows}
            currency={currency}
            showCreator={isTeamAdmin}
            onEdit={onEdit}
            onRevoke={onRevoke}
            onPause={onPause}
            onRoll={onRoll}
          />
        )}
      </div>

      {creating ? (
        <CreateKeyDialog
          key={createSession}
          open
          onClose={(createdIn) => {
            setCreating(false);
            // A key created for another owner than the one shown: go where it is, or it seems lost.
            if (createdIn && createdIn !== owner)
              startLoading(() => router.push(ownerHref(pathname, createdIn)));
          }}
          owners={owners}
          defaultOwner={owner}
          currency={currency}
          baseUrl={baseUrl}
          enabledModels={enabledModels}
          returnFocusTo={focusReturnTarget("create-key")}
          atCap={{ owners: activeCount >= maxActiveKeys ? [owner] : [], max: maxActiveKeys }}
        />
      ) : null}
      {editing ? (
        <EditKeyDialog
          key={editing.id}
          row={editing}
          currency={currency}
          enabledModels={enabledModels}
          onClose={() => setEditing(null)}
          returnFocusTo={focusReturnTarget(editing.id, "create-key")}
        />
      ) : null}
      {rolling ? (
        <RollKeyDialog
          key={rolling.id}
          row={rolling}
          baseUrl={baseUrl}
          enabledModels={enabledModels}
          onClose={() => setRolling(null)}
          returnFocusTo={focusReturnTarget(rolling.id, "create-key")}
        />
      ) : null}
      {revoking ? (
        <RevokeKeyDialog
          key={revoking.id}
          row={revoking}
          onClose={(revoked) => {
            justRevoked.current = revoked ? revoking.id : null;
            setRevoking(null);
          }}
          // A revoked key leaves the default view: focus goes to Create API Key rather than to a row about to vanish.
          returnFocusTo={() =>
            justRevoked.current === revoking.id && !matchesStatus("revoked", status)
              ? focusReturnTarget("create-key")()
              : focusReturnTarget(revoking.id, "create-key")()
          }
        />
      ) : null}
    </div>
  );
}

/** The status filter's values: a key status, "" for all, or every status but revoked. */
type StatusFilter = string;
const NOT_REVOKED = "not_revoked";

/** "12" when every match fits on one page; "51–65" when the list has pages. */
function shownRange(matches: number, pageIndex: number): string {
  if (matches <= PAGE_SIZE) return String(matches);
  const page = Math.min(pageIndex, Math.ceil(matches / PAGE_SIZE) - 1);
  return `${page * PAGE_SIZE + 1}–${Math.min(matches, (page + 1) * PAGE_SIZE)}`;
}

function matchesStatus(keyStatus: string, filter: StatusFilter): boolean {
  if (filter === "") return true;
  if (filter === NOT_REVOKED) return keyStatus !== "revoked";
  return keyStatus === filter;
}

function ownerHref(pathname: string, owner: string): string {
  return owner === "personal" ? pathname : `${pathname}?owner=${encodeURIComponent(owner)}`;
}
