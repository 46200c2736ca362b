"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { inputClass } from "@/components/ui/field";
import { setDisabledAction, setRoleAction, type AdminActionResult } from "../actions";
import { Badge } from "@/components/ui/badge";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: "admin" | "user";
  disabledAt: string | null;
  createdAt: string;
  activeKeys: number;
}

export function UsersTable({ users, currentUserId, search }: { users: UserRow[]; currentUserId: string; search: string }) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState<UserRow | null>(null);

  const act = (call: () => Promise<AdminActionResult>) =>
    startTransition(async () => {
      const result = await call();
      setError(result.error);
      setConfirming(null);
    });

  return (
    <div className="space-y-4">
      <form role="search" className="max-w-sm">
        <label htmlFor="user-search" className="sr-only">Search users</label>
        <input id="user-search" name="q" type="search" defaultValue={search} placeholder="Search by name or email" className={inputClass} />
      </form>
      <FormAlert message={error} />
      {users.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
          No users match “{search}”.
        </p>
      ) : (
        <div className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white">
          <table className="min-w-full text-sm">
            <thead className="bg-zinc-50 text-left text-xs font-medium uppercase tracking-wide text-zinc-500">
              <tr>
                <th scope="col" className="px-4 py-3">User</th>
                <th scope="col" className="px-4 py-3">Role</th>
                <th scope="col" className="px-4 py-3">Status</th>
                <th scope="col" className="px-4 py-3 text-right">Active keys</th>
                <th scope="col" className="px-4 py-3">Joined</th>
                <th scope="col" className="px-4 py-3"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {users.map((user) => {
                const self = user.id === currentUserId;
                return (
                  <tr key={user.id}>
                    <td className="max-w-xs px-4 py-3">
                      <p className="truncate font-medium text-zinc-900">{user.name}{self ? <span className="ml-2 text-xs font-normal text-zinc-500">(you)</span> : null}</p>
                      <p className="truncate text-zinc-500">{user.email}</p>
                    </td>
                    <td className="px-4 py-3">{user.role === "admin" ? "Platform admin" : "User"}</td>
                    <td className="px-4 py-3">
                      {user.disabledAt ? (
                        <Badge tone="red">Disabled</Badge>
                      ) : (
                        <Badge tone="green">Active</Badge>
                      )}
                    </td>
                    <td className="px-4 py-3 text-right tabular-nums">{user.activeKeys}</td>
                    <td className="whitespace-nowrap px-4 py-3 text-zinc-600">{new Date(user.createdAt).toLocaleDateString()}</td>
                    <td className="whitespace-nowrap px-4 py-3 text-right">
                      <div className="flex justify-end gap-2">
                        <Button variant="secondary" disabled={pending} aria-label={`${user.role === "admin" ? "Remove admin from" : "Make admin"} ${user.email}`}
                          onClick={() => act(() => setRoleAction(user.id, user.role === "admin" ? "user" : "admin"))}>
                          {user.role === "admin" ? "Remove admin" : "Make admin"}
                        </Button>
                        {user.disabledAt ? (
                          <Button variant="secondary" disabled={pending} aria-label={`Enable ${user.email}`} onClick={() => act(() => setDisabledAction(user.id, false))}>
                            Enable
                          </Button>
                        ) : (
                          <Button variant="secondary" disabled={pending || self} aria-label={`Disable ${user.email}`} onClick={() => setConfirming(user)}>
                            Disable
                          </Button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Dialog
        open={confirming !== null}
        onOpenChange={(open) => !open && setConfirming(null)}
        title="Disable this user?"
        description={confirming ? `${confirming.name} (${confirming.email}) will be signed out, cannot sign in, and every key they created stops working at once.` : undefined}
      >
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(null)}>Cancel</Button>
          <Button variant="danger" disabled={pending} onClick={() => confirming && act(() => setDisabledAction(confirming.id, true))}>
            Disable user
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
