"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

export interface PendingInvite {
  id: string;
  email: string;
  /** Where the invite leads: "ModelBridge" for an install invite, else the team's name and role. */
  destination: string;
  invitedBy: string;
  expiresAt: string;
}

/** Invites waiting to be used, each revocable (its link stops working at once). */
export function PendingInvites({
  invites,
  revoke,
  title = "Pending invites",
}: {
  invites: PendingInvite[];
  revoke: (id: string) => Promise<{ error?: string }>;
  title?: string;
}) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-2">
      <h3 className="text-sm font-semibold">{title}</h3>
      <FormAlert message={error} />
      {invites.length === 0 ? (
        <p className="text-sm text-zinc-500">No pending invites.</p>
      ) : (
        <ul
          aria-label={title}
          className="divide-y divide-zinc-100 rounded-md border border-zinc-200 bg-white"
        >
          {invites.map((invite) => (
            <li
              key={invite.id}
              className="flex flex-col gap-2 px-3 py-2 sm:flex-row sm:items-center sm:justify-between"
            >
              <div className="min-w-0">
                <p className="truncate text-sm font-medium">{invite.email}</p>
                <p className="truncate text-xs text-zinc-500">
                  {invite.destination} · invited by {invite.invitedBy} · expires{" "}
                  {new Date(invite.expiresAt).toISOString().slice(0, 10)}
                </p>
              </div>
              <Button
                variant="ghost"
                className="py-1.5"
                disabled={pending}
                onClick={() =>
                  startTransition(async () => setError((await revoke(invite.id)).error))
                }
              >
                Revoke<span className="sr-only"> the invite for {invite.email}</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
