"use client";

import { Plus, RefreshCw, Search } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useMemo, useState, useTransition } from "react";
import { clsx } from "clsx";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { keyStatuses, type KeyStatus } from "@/lib/keys/status";
import type { KeyRow } from "../key-row";
import { CreateKeyDialog, type OwnerOption } from "./create-key-dialog";
import { EditKeyDialog } from "./edit-key-dialog";
import { KeysTable } from "./keys-table";
import { RevokeKeyDialog } from "./revoke-key-dialog";
import { statusLabels } from "./status-badge";

export function ApiKeysView({
  owner,
  owners,
  isTeamAdmin,
  keys,
  currency,
  baseUrl,
}: {
  owner: string;
  owners: OwnerOption[];
  isTeamAdmin: boolean;
  keys: KeyRow[];
  currency: string;
  baseUrl: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [loading, startLoading] = useTransition();
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<KeyStatus | "">("");
  const [createSession, setCreateSession] = useState(0);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<KeyRow | null>(null);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);

  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return keys.filter((key) => (!needle || key.name.toLowerCase().includes(needle)) && (!status || key.status === status));
  }, [keys, search, status]);

  const onEdit = useCallback((row: KeyRow) => setEditing(row), []);
  const onRevoke = useCallback((row: KeyRow) => setRevoking(row), []);
  const refresh = () => startLoading(() => router.refresh());

  return (
    <div className="space-y-4">
      <div className="flex flex-col gap-3 lg:flex-row lg:items-end lg:justify-between">
        <div className="grid gap-2 sm:grid-cols-[minmax(10rem,14rem)_minmax(12rem,1fr)_minmax(9rem,12rem)] lg:flex-1">
          <label className="space-y-1">
            <span className="block text-xs font-medium text-zinc-600">Owner</span>
            <select
              value={owner}
              onChange={(e) => startLoading(() => router.push(e.target.value === "personal" ? pathname : `${pathname}?owner=${e.target.value}`))}
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
              <Search aria-hidden className="pointer-events-none absolute left-3 top-2.5 h-4 w-4 text-zinc-400" />
              <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search by name" className={clsx(inputClass, "pl-9")} />
            </span>
          </label>
          <label className="space-y-1">
            <span className="block text-xs font-medium text-zinc-600">Status</span>
            <select value={status} onChange={(e) => setStatus(e.target.value as KeyStatus | "")} className={inputClass}>
              <option value="">All statuses</option>
              {keyStatuses.map((s) => (
                <option key={s} value={s}>
                  {statusLabels[s]}
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

      <div aria-busy={loading} aria-live="polite" className={clsx("transition-opacity", loading && "opacity-60")}>
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
          <div className="rounded-xl border border-zinc-200 bg-white px-6 py-10 text-center text-sm text-zinc-600">No keys match your search and filter.</div>
        ) : (
          <KeysTable rows={rows} currency={currency} showCreator={isTeamAdmin} onEdit={onEdit} onRevoke={onRevoke} />
        )}
        <p className="mt-2 text-xs text-zinc-500">
          {keys.length === 0 ? "" : `${rows.length} of ${keys.length} key${keys.length === 1 ? "" : "s"}`}
        </p>
      </div>

      {creating ? (
        <CreateKeyDialog
          key={createSession}
          open
          onClose={() => setCreating(false)}
          owners={owners}
          defaultOwner={owner}
          currency={currency}
          baseUrl={baseUrl}
        />
      ) : null}
      {editing ? <EditKeyDialog key={editing.id} row={editing} currency={currency} onClose={() => setEditing(null)} /> : null}
      {revoking ? <RevokeKeyDialog key={revoking.id} row={revoking} onClose={() => setRevoking(null)} /> : null}
    </div>
  );
}
