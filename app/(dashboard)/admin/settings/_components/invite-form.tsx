"use client";

import { useActionState } from "react";
import { InviteLink } from "@/components/invites/invite-link";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import { createInviteAction, type InviteState } from "../actions";

export function InviteForm() {
  const [state, action, pending] = useActionState<InviteState, FormData>(createInviteAction, {});
  return (
    <form action={action} noValidate className="space-y-3">
      <FormAlert message={state.formError} />
      <FocusFirstError state={state} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          className="sm:w-80"
          defaultValue={state.ok ? "" : String(state.values?.email ?? "")}
          error={state.fieldErrors?.email}
        />
        <Button type="submit" disabled={pending} className="sm:mt-7">
          {pending ? "Creating…" : "Create invite"}
        </Button>
      </div>
      {state.fieldErrors?.email?.includes("already invited") ? (
        <Button type="submit" name="resend" value="1" variant="secondary" disabled={pending}>
          Resend invite
        </Button>
      ) : null}
      {state.ok && state.inviteUrl ? (
        <InviteLink url={state.inviteUrl}>
          Send this link to {state.email}: they create their account through it.
        </InviteLink>
      ) : null}
    </form>
  );
}
