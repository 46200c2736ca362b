"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import { signUpAction } from "../actions";
import type { FormState } from "@/lib/forms/form-state";

/** With an invite, the email is the invited one and cannot be changed (the server uses the invite's anyway). */
export function SignupForm({ invite }: { invite?: { token: string; email: string } }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signUpAction, {});
  return (
    <form action={action} className="mt-6 space-y-4" noValidate>
      <FormAlert message={state.formError} />
      <FocusFirstError state={state} />
      {invite ? <input type="hidden" name="invite" value={invite.token} /> : null}
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        required
        autoFocus
        defaultValue={String(state.values?.name ?? "")}
        error={state.fieldErrors?.name}
      />
      {invite ? (
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          readOnly
          value={invite.email}
          hint="The invite is for this address."
          error={state.fieldErrors?.email}
        />
      ) : (
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={String(state.values?.email ?? "")}
          error={state.fieldErrors?.email}
        />
      )}
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters, not a common password."
        error={state.fieldErrors?.password}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
