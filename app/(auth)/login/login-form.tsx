"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import { signInAction, signInWithOidcAction } from "../actions";
import type { FormState } from "@/lib/forms/form-state";

export function LoginForm({ callbackUrl, oidcName }: { callbackUrl?: string; oidcName?: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signInAction, {});
  return (
    <div className="mt-6 space-y-4">
      <form action={action} className="space-y-4" noValidate>
        <FormAlert message={state.formError} />
        <FocusFirstError state={state} />
        {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          autoFocus
          defaultValue={String(state.values?.email ?? "")}
          error={state.fieldErrors?.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={state.fieldErrors?.password}
        />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {oidcName ? (
        <form action={signInWithOidcAction}>
          <Button type="submit" variant="secondary" className="w-full">
            Continue with {oidcName}
          </Button>
        </form>
      ) : null}
    </div>
  );
}
