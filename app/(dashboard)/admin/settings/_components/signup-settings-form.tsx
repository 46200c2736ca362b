"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import { RadioGroup } from "@/components/ui/radio-group";
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

const TEAM_CREATORS = [
  {
    value: "admins",
    label: "Only platform admins",
    hint: "Users join the teams they are added to.",
  },
  {
    value: "everyone",
    label: "Everyone",
    hint: "Any signed-in user can create a team and invite people to it.",
  },
] as const;

const TEAM_INVITE_ACCOUNTS = [
  {
    value: "never",
    label: "Never",
    hint: "A team admin can add only people who already have an account.",
  },
  {
    value: "admin_teams",
    label: "Only in teams a platform admin created",
    hint: "The default.",
  },
  {
    value: "always",
    label: "Always",
    hint: "Any team admin's invite can bring a new person onto this server.",
  },
] as const;

export interface InstanceSettingsValues {
  mode: string;
  fromEnv: boolean;
  includedMonthly: string;
  overageEnabled: boolean;
  whoMayCreateTeams: string;
  teamInvitesCreateAccounts: string;
  webhooksAllowPrivateAddresses: boolean;
}

/** What the form shows: after a failed submit, what was sent (so nothing chosen is lost). */
function shown(state: FormState, name: string, saved: string): string {
  return state.values && !state.ok ? String(state.values[name] ?? "") : saved;
}

export function SignupSettingsForm({
  settings,
  currency,
}: {
  settings: InstanceSettingsValues;
  currency: string;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveSettingsAction, {});
  const included = shown(state, "new_account_included_monthly", settings.includedMonthly);
  const whoMay = shown(state, "who_may_create_teams", settings.whoMayCreateTeams);
  const inviteAccounts = shown(
    state,
    "team_invites_create_accounts",
    settings.teamInvitesCreateAccounts,
  );
  return (
    <form action={action} noValidate className="space-y-6">
      <FormAlert message={state.formError} />
      <FocusFirstError state={state} />
      <RadioGroup
        legend="Who may sign up"
        name="signup_mode"
        options={MODES}
        value={settings.mode}
        disabled={settings.fromEnv}
        error={state.fieldErrors?.signup_mode}
        note={
          settings.fromEnv ? (
            <p
              role="note"
              className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900"
            >
              Set by <code>SIGNUP_MODE</code> in the server&apos;s environment, which wins over this
              setting. Change or remove it there.
            </p>
          ) : null
        }
      />
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
            defaultChecked={settings.overageEnabled}
          />
          Overage on (spend past included usage and credit is allowed and billed)
        </label>
      </fieldset>
      <RadioGroup
        key={`who-${whoMay}`}
        legend="Who may create teams"
        name="who_may_create_teams"
        options={TEAM_CREATORS}
        value={whoMay}
        error={state.fieldErrors?.who_may_create_teams}
        note={
          <p className="text-xs text-zinc-500">
            While sign-up is open, everyone may create teams whatever is chosen here.
          </p>
        }
      />
      <RadioGroup
        key={`invites-${inviteAccounts}`}
        legend="Team invites may create accounts"
        name="team_invites_create_accounts"
        options={TEAM_INVITE_ACCOUNTS}
        value={inviteAccounts}
        error={state.fieldErrors?.team_invites_create_accounts}
        note={
          <p className="text-xs text-zinc-500">
            Whether a team admin&apos;s invite may bring in someone who has no account yet. A
            platform admin&apos;s invite always may.
          </p>
        }
      />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-zinc-800">Webhooks</legend>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="webhooks_allow_private_addresses"
            defaultChecked={settings.webhooksAllowPrivateAddresses}
            className="mt-1"
          />
          <span>
            Users&apos; webhooks may reach loopback and private addresses
            <span className="block text-xs text-zinc-500">
              Off by default, so that no user can make this server call into its own network.
              Platform admins&apos; webhooks always may.
            </span>
          </span>
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
