"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { inputClass } from "@/components/ui/field";
import { setDisabledAction, setRoleAction, type AdminActionResult } from "../actions";
import { Badge } from "@/components/ui/badge";
import { TimeText } from "@/components/ui/time-text";
import { focusReturnTarget } from "@/components/ui/focus-return";
import { toast } from "sonner";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: "admin" | "user";
  disabledAt: string | null;
  createdAt: string;
  activeKeys: number;
}

export function UsersTable({
  users,
  currentUserId,
  search,
}: {
  users: UserRow[];
  currentUserId: string;
  search: string;
}) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState<UserRow | null>(null);
  // Kept after the dialog closes (confirming is cleared first), for focus to find its way back.
  const [lastConfirmed, setLastConfirmed] = useState<string | null>(null);

  const act = (call: () => Promise<AdminActionResult>, done: string) =>
    startTransition(async () => {
      const result = await call();
      setError(result.error);
      setConfirming(null);
      if (!result.error) toast.success(done);
    });

  const who = (user: UserRow) => (
    <>
      <p className="truncate font-medium text-zinc-900" title={user.name}>
        {user.name}
        {user.id === currentUserId ? (
          <span className="ml-2 text-xs font-normal text-zinc-500">(you)</span>
        ) : null}
      </p>
      <p className="truncate text-zinc-500" title={user.email}>
        {user.email}
      </p>
    </>
  );
  const roleLabel = (user: UserRow) => (user.role === "admin" ? "Platform admin" : "User");
  const statusBadge = (user: UserRow) =>
    user.disabledAt ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>;
  const actions = (user: UserRow, extra: string) => (
    <div className={`flex gap-2 ${extra}`}>
      <Button
        variant="secondary"
        disabled={pending}
        aria-label={`${user.role === "admin" ? "Remove admin from" : "Make admin"} ${user.email}`}
        onClick={() =>
          act(
            () => setRoleAction(user.id, user.role === "admin" ? "user" : "admin"),
            user.role === "admin"
              ? `${user.name} is no longer a platform admin.`
              : `${user.name} is now a platform admin.`,
          )
        }
      >
        {user.role === "admin" ? "Remove admin" : "Make admin"}
      </Button>
      {user.disabledAt ? (
        <Button
          variant="secondary"
          disabled={pending}
          data-focus-return={`user-${user.id}`}
          aria-label={`Enable ${user.email}`}
          onClick={() => act(() => setDisabledAction(user.id, false), `Enabled ${user.name}.`)}
        >
          Enable
        </Button>
      ) : (
        <Button
          variant="secondary"
          disabled={pending || user.id === currentUserId}
          data-focus-return={`user-${user.id}`}
          aria-label={`Disable ${user.email}`}
          onClick={() => {
            setLastConfirmed(user.id);
            setConfirming(user);
          }}
        >
          Disable
        </Button>
      )}
    </div>
  );

  return (
    <div className="space-y-4">
      <form role="search" className="max-w-sm">
        <label htmlFor="user-search" className="sr-only">
          Search users
        </label>
        <input
          id="user-search"
          name="q"
          type="search"
          defaultValue={search}
          placeholder="Search by name or email"
          className={inputClass}
        />
      </form>
      <FormAlert message={error} />
      {users.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
          No users match “{search}”.
        </p>
      ) : (
        <>
          <div className="relative hidden overflow-x-auto rounded-xl border border-zinc-200 bg-white md:block">
            <table className="min-w-full text-sm">
              <thead className="bg-zinc-50 text-left text-xs font-semibold text-zinc-600">
                <tr>
                  <th scope="col" className="px-4 py-3">
                    User
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Role
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Status
                  </th>
                  <th scope="col" className="px-4 py-3 text-right">
                    Active keys
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Joined
                  </th>
                  <th scope="col" className="px-4 py-3">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {users.map((user) => (
                  <tr key={user.id}>
                    <td className="max-w-xs px-4 py-3">{who(user)}</td>
                    <td className="px-4 py-3">{roleLabel(user)}</td>
                    <td className="px-4 py-3">{statusBadge(user)}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{user.activeKeys}</td>
                    <td className="whitespace-nowrap px-4 py-3 text-zinc-600">
                      <TimeText value={user.createdAt} />
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 text-right">
                      {actions(user, "justify-end")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {/* On a phone each user is a card: the table's six columns do not fit. */}
          <ul aria-label="Users" className="space-y-3 md:hidden">
            {users.map((user) => (
              <li key={user.id} className="rounded-xl border border-zinc-200 bg-white p-4 text-sm">
                <div className="flex items-start justify-between gap-3">
                  <div className="min-w-0">{who(user)}</div>
                  {statusBadge(user)}
                </div>
                <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
                  <dt className="text-zinc-500">Role</dt>
                  <dd>{roleLabel(user)}</dd>
                  <dt className="text-zinc-500">Active keys</dt>
                  <dd className="tabular-nums">{user.activeKeys}</dd>
                  <dt className="text-zinc-500">Joined</dt>
                  <dd>
                    <TimeText value={user.createdAt} />
                  </dd>
                </dl>
                {actions(user, "mt-3 flex-wrap border-t border-zinc-100 pt-3")}
              </li>
            ))}
          </ul>
        </>
      )}
      <Dialog
        open={confirming !== null}
        onOpenChange={(open) => !open && setConfirming(null)}
        title="Disable this user?"
        // After disabling, the Disable button is replaced by Enable: focus goes to that one.
        returnFocusTo={lastConfirmed ? focusReturnTarget(`user-${lastConfirmed}`) : undefined}
        description={
          confirming
            ? `${confirming.name} (${confirming.email}) will be signed out, cannot sign in, and every key they created stops working at once.`
            : undefined
        }
      >
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(null)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={pending}
            onClick={() =>
              confirming &&
              act(() => setDisabledAction(confirming.id, true), `Disabled ${confirming.name}.`)
            }
          >
            Disable user
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
