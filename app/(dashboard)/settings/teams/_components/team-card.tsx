"use client";

import { useActionState, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import { Labelled } from "@/components/ui/labelled";
import { InviteLink } from "@/components/invites/invite-link";
import { PendingInvites, type PendingInvite } from "@/components/invites/pending-invites";
import { TeamHeaderActions } from "./team-header-actions";
import {
  addMemberAction,
  changeRoleAction,
  deleteTeamAction,
  removeMemberAction,
  revokeInviteAction,
  type AddMemberState,
} from "../actions";

interface Member {
  userId: string;
  name: string;
  email: string;
  role: "admin" | "member";
  /** Active team keys this member created: removing them revokes these. */
  activeKeys: number;
}

const keysPhrase = (n: number) => `${n} team ${n === 1 ? "key" : "keys"}`;

export function TeamCard({
  teamId,
  name,
  role,
  currentUserId,
  members,
  invites,
  activeTeamKeys,
}: {
  teamId: string;
  name: string;
  role: "admin" | "member";
  currentUserId: string;
  members: Member[];
  invites: PendingInvite[];
  /** Every active key of the team: deleting the team revokes them. */
  activeTeamKeys: number;
}) {
  const isAdmin = role === "admin";
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const [removing, setRemoving] = useState<string | null>(null);
  const [notice, setNotice] = useState<string>();
  const run = (work: () => Promise<{ error?: string }>, done: string) =>
    startTransition(async () => {
      const result = await work();
      setError(result.error);
      if (result.error) setNotice(undefined);
      else if (done) setNotice(done);
      setRemoving(null);
    });

  return (
    <section
      aria-labelledby={`team-${teamId}`}
      className="rounded-xl border border-zinc-200 bg-white"
    >
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-4 py-3 sm:px-5">
        <h2 id={`team-${teamId}`} className="text-base font-semibold">
          {name}
        </h2>
        <span className="flex flex-wrap items-center gap-2">
          <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-700">
            You are {isAdmin ? "an admin" : "a member"}
          </span>
          {isAdmin ? (
            <TeamHeaderActions
              teamId={teamId}
              name={name}
              activeTeamKeys={activeTeamKeys}
              deleteTeam={deleteTeamAction}
            />
          ) : null}
        </span>
      </header>
      <div className="space-y-4 p-4 sm:p-5" aria-busy={pending}>
        <FormAlert message={error} />
        <p role="status" className={notice ? "text-sm text-emerald-700" : "sr-only"}>
          {notice ?? ""}
        </p>
        <ul className="divide-y divide-zinc-100">
          {members.map((member) => {
            const self = member.userId === currentUserId;
            return (
              <li key={member.userId} className="py-2.5">
                <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
                  <div className="min-w-0">
                    <p className="truncate text-sm font-medium">
                      {member.name}
                      {self ? " (you)" : ""}
                    </p>
                    <p className="truncate text-xs text-zinc-500">{member.email}</p>
                  </div>
                  <div className="flex items-center gap-2">
                    {isAdmin ? (
                      <select
                        aria-label={`Role of ${member.name}`}
                        value={member.role}
                        disabled={pending}
                        onChange={(e) => {
                          const role = e.target.value;
                          run(
                            () => changeRoleAction(teamId, member.userId, role),
                            `${member.name} is now ${role === "admin" ? "an admin" : "a member"}.`,
                          );
                        }}
                        className={`${inputClass} w-32 py-1.5`}
                      >
                        <option value="admin">admin</option>
                        <option value="member">member</option>
                      </select>
                    ) : (
                      <span className="text-sm text-zinc-600">{member.role}</span>
                    )}
                    {/* Stays where it was while the confirmation shows, under the row: the
                      role select beside it no longer jumps sideways. */}
                    {isAdmin || self ? (
                      <Button
                        variant="ghost"
                        className="py-1.5"
                        aria-expanded={removing === member.userId}
                        onClick={() =>
                          setRemoving(removing === member.userId ? null : member.userId)
                        }
                      >
                        {self ? "Leave" : "Remove"}
                        <span className="sr-only"> {member.name}</span>
                      </Button>
                    ) : null}
                  </div>
                </div>
                {removing === member.userId ? (
                  <div className="mt-2 flex flex-wrap items-center gap-1 sm:justify-end">
                    <span className="text-xs text-zinc-600">
                      {member.activeKeys > 0
                        ? `This revokes the ${keysPhrase(member.activeKeys)} ${self ? "you" : "they"} created.`
                        : `${self ? "You have" : "They have"} no active team keys.`}
                    </span>
                    <Button
                      variant="danger"
                      className="py-1.5"
                      disabled={pending}
                      onClick={() =>
                        run(async () => {
                          const result = await removeMemberAction(teamId, member.userId);
                          const revoked = result.revokedKeys
                            ? ` ${keysPhrase(result.revokedKeys)} revoked.`
                            : "";
                          if (!result.error)
                            setNotice(
                              (self ? "You left the team." : `${member.name} was removed.`) +
                                revoked,
                            );
                          return result;
                        }, "")
                      }
                    >
                      {self ? "Leave team" : "Remove member"}
                    </Button>
                    <Button variant="ghost" className="py-1.5" onClick={() => setRemoving(null)}>
                      Cancel
                    </Button>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
        {isAdmin ? <AddMemberForm teamId={teamId} /> : null}
        {isAdmin ? <PendingInvites invites={invites} revoke={revokeInviteAction} /> : null}
      </div>
    </section>
  );
}

function AddMemberForm({ teamId }: { teamId: string }) {
  const [state, action, pending] = useActionState<AddMemberState, FormData>(addMemberAction, {});
  return (
    <form action={action} noValidate className="space-y-3 rounded-lg bg-zinc-50 p-3">
      <h3 className="text-sm font-semibold">Add a member</h3>
      <FormAlert message={state.formError} />
      <FocusFirstError state={state} />
      <input type="hidden" name="team_id" value={teamId} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          className="sm:w-72"
          defaultValue={state.ok ? "" : String(state.values?.email ?? "")}
          error={state.fieldErrors?.email}
        />
        <Labelled label="Role" className="sm:w-36" error={state.fieldErrors?.role}>
          {(control) => (
            <select {...control} name="role" defaultValue="member" className={inputClass}>
              <option value="member">member</option>
              <option value="admin">admin</option>
            </select>
          )}
        </Labelled>
        <Button type="submit" disabled={pending} className="sm:mt-7">
          {pending ? "Adding…" : "Add member"}
        </Button>
      </div>
      {state.fieldErrors?.email?.includes("already invited") ? (
        <Button type="submit" name="resend" value="1" variant="secondary" disabled={pending}>
          Resend invite
        </Button>
      ) : null}
      {state.ok && state.joinedName ? (
        <p role="status" className="text-sm text-emerald-700">
          {state.joinedName} ({state.email}) already had an account and is now a{" "}
          {state.role === "admin" ? "team admin" : "member"}. No link is needed.
        </p>
      ) : null}
      {state.ok && state.inviteUrl ? (
        <InviteLink url={state.inviteUrl}>
          No account uses {state.email} yet. Send them this link: they join the team when they sign
          up through it.
        </InviteLink>
      ) : null}
    </form>
  );
}
