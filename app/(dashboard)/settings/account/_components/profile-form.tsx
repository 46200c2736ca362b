"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import type { ProfileState } from "../actions";
import { updateProfileAction } from "../actions";

/** The name and email this account goes by; the email is also what it signs in with. */
export function ProfileForm({ name, email }: { name: string; email: string }) {
  const [state, action, pending] = useActionState<ProfileState, FormData>(updateProfileAction, {});
  const typed = (field: string, saved: string) =>
    state.values && !state.ok ? String(state.values[field] ?? "") : saved;
  return (
    <form action={action} noValidate className="space-y-4 sm:max-w-sm">
      <FormAlert message={state.formError} />
      <FocusFirstError state={state} />
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        defaultValue={typed("name", name)}
        error={state.fieldErrors?.name}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={typed("email", email)}
        error={state.fieldErrors?.email}
        hint="You sign in with it."
      />
      <p role="status" className={state.ok ? "text-sm text-emerald-700" : "sr-only"}>
        {state.ok ? state.saved : ""}
      </p>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save profile"}
      </Button>
    </form>
  );
}
