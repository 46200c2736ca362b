"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import type { FormState } from "@/lib/forms/form-state";
import { saveSettingsAction } from "../actions";

const MODES = [
  {
    value: "invite",
    label: "Invite only",
    hint: "An admin or a team admin invites an email; the link works once.",
  },
  { value: "open", label: "Open", hint: "Anyone who reaches this server can create an account." },
  { value: "closed", label: "Closed", hint: "No new accounts." },
] as const;

export function SignupSettingsForm({
  mode,
  fromEnv,
  includedMonthly,
  overageEnabled,
  currency,
}: {
  mode: string;
  fromEnv: boolean;
  includedMonthly: string;
  overageEnabled: boolean;
  currency: string;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveSettingsAction, {});
  const included =
    state.values && !state.ok
      ? String(state.values.new_account_included_monthly ?? "")
      : includedMonthly;
  return (
    <form action={action} noValidate className="space-y-5">
      <FormAlert message={state.formError} />
      <fieldset className="space-y-2" aria-describedby={fromEnv ? "signup-mode-env" : undefined}>
        <legend className="text-sm font-medium text-zinc-800">Who may sign up</legend>
        {fromEnv ? (
          <p
            id="signup-mode-env"
            role="note"
            className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          >
            Set by <code>SIGNUP_MODE</code> in the server&apos;s environment, which wins over this
            setting. Change or remove it there.
          </p>
        ) : null}
        {MODES.map((option) => (
          <label key={option.value} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="signup_mode"
              value={option.value}
              defaultChecked={mode === option.value}
              disabled={fromEnv}
              className="mt-1"
            />
            <span>
              <span className="font-medium">{option.label}</span>
              <span className="block text-xs text-zinc-500">{option.hint}</span>
            </span>
          </label>
        ))}
        {state.fieldErrors?.signup_mode ? (
          <p className="text-sm text-red-600">{state.fieldErrors.signup_mode}</p>
        ) : null}
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-zinc-800">Defaults for new accounts</legend>
        <Field
          label={`Included monthly usage (${currency})`}
          name="new_account_included_monthly"
          inputMode="decimal"
          className="sm:w-64"
          key={included}
          defaultValue={included}
          hint="Granted each calendar month; 0 for none."
          error={state.fieldErrors?.new_account_included_monthly}
        />
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="new_account_overage_enabled"
            defaultChecked={overageEnabled}
          />
          Overage on (spend past included usage and credit is allowed and billed)
        </label>
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save settings"}
        </Button>
        {state.ok ? (
          <p role="status" className="text-sm text-emerald-700">
            Settings saved.
          </p>
        ) : null}
      </div>
    </form>
  );
}
