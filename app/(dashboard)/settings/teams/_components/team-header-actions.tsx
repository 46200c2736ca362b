"use client";

import { useActionState, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import type { FormState } from "@/lib/forms/form-state";
import { renameTeamAction } from "../actions";

const keysPhrase = (n: number) => `${n} active team ${n === 1 ? "key" : "keys"}`;

/** A team admin's Rename and Delete team, each in a dialog that says what happens. */
export function TeamHeaderActions({
  teamId,
  name,
  activeTeamKeys,
  deleteTeam,
}: {
  teamId: string;
  name: string;
  activeTeamKeys: number;
  deleteTeam: (teamId: string) => Promise<{ error?: string; revokedKeys?: number }>;
}) {
  const [open, setOpen] = useState<"rename" | "delete" | null>(null);
  const [session, setSession] = useState(0);
  const show = (which: "rename" | "delete") => {
    setSession((n) => n + 1);
    setOpen(which);
  };
  return (
    <>
      <Button variant="ghost" className="py-1" onClick={() => show("rename")}>
        Rename<span className="sr-only"> {name}</span>
      </Button>
      <Button
        variant="ghost"
        className="py-1 text-red-700 hover:bg-red-50"
        onClick={() => show("delete")}
      >
        Delete team<span className="sr-only"> {name}</span>
      </Button>
      {open === "rename" ? (
        <RenameDialog key={session} teamId={teamId} name={name} onClose={() => setOpen(null)} />
      ) : null}
      {open === "delete" ? (
        <DeleteDialog
          teamId={teamId}
          name={name}
          activeTeamKeys={activeTeamKeys}
          deleteTeam={deleteTeam}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </>
  );
}

function RenameDialog({
  teamId,
  name,
  onClose,
}: {
  teamId: string;
  name: string;
  onClose: () => void;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(
    async (previous, formData) => {
      const next = await renameTeamAction(previous, formData);
      if (next.ok) {
        toast.success(`Renamed the team to "${String(formData.get("name")).trim()}".`);
        onClose();
      }
      return next;
    },
    {},
  );
  return (
    <Dialog open onOpenChange={(next) => !next && onClose()} title={`Rename ${name}`}>
      <form action={action} noValidate className="space-y-4">
        <FormAlert message={state.formError} />
        <FocusFirstError state={state} />
        <input type="hidden" name="team_id" value={teamId} />
        <Field
          label="Team name"
          name="name"
          autoFocus
          defaultValue={String(state.values?.name ?? name)}
          error={state.fieldErrors?.name}
        />
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save name"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog({
  teamId,
  name,
  activeTeamKeys,
  deleteTeam,
  onClose,
}: {
  teamId: string;
  name: string;
  activeTeamKeys: number;
  deleteTeam: (teamId: string) => Promise<{ error?: string; revokedKeys?: number }>;
  onClose: () => void;
}) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  return (
    <Dialog open onOpenChange={(next) => !next && onClose()} title={`Delete ${name}?`}>
      <div className="space-y-3 text-sm text-zinc-700">
        <FormAlert message={error} />
        <p>
          {activeTeamKeys > 0
            ? `Its ${keysPhrase(activeTeamKeys)} will be revoked at once: applications using them get 401.`
            : "The team has no active keys."}{" "}
          Pending invites stop working, its webhooks are removed and every member leaves it.
        </p>
        <p>Its usage history stays in the audit log. This cannot be undone.</p>
      </div>
      <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" autoFocus onClick={onClose}>
          Cancel
        </Button>
        <Button
          variant="danger"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await deleteTeam(teamId);
              if (result.error) return setError(result.error);
              const n = result.revokedKeys ?? 0;
              toast.success(
                `Deleted ${name}.${n ? ` ${n} ${n === 1 ? "key" : "keys"} revoked.` : ""}`,
              );
              onClose();
            })
          }
        >
          {pending ? "Deleting…" : "Delete team"}
        </Button>
      </div>
    </Dialog>
  );
}
