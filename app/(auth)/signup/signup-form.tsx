"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { signUpAction } from "../actions";
import type { FormState } from "@/lib/forms/form-state";

export function SignupForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(signUpAction, {});
  return (
    <form action={action} className="mt-6 space-y-4" noValidate>
      <FormAlert message={state.formError} />
      <Field label="Name" name="name" autoComplete="name" required autoFocus
        defaultValue={String(state.values?.name ?? "")} error={state.fieldErrors?.name} />
      <Field label="Email" name="email" type="email" autoComplete="email" required
        defaultValue={String(state.values?.email ?? "")} error={state.fieldErrors?.email} />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required
        hint="At least 8 characters." error={state.fieldErrors?.password} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
