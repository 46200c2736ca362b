"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { signupModes, teamCreators, teamInviteAccountModes } from "@/db/schema";
import { authedAction, formAction } from "@/lib/actions/authed-action";
import { env } from "@/lib/env";
import type { FormState } from "@/lib/forms/form-state";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { createInvite, revokeInvite } from "@/lib/invites/invites";
import { inviteUrl } from "@/lib/invites/invite-view";
import { nonNegativeMoney } from "@/lib/settings/schemas";
import { updateSignupSettings } from "@/lib/settings/signup-settings";
import { emailSchema } from "@/lib/users/schemas";

/** Admin → Settings. The services check the platform-admin role (they serve /api/v1 too). */
const PAGE = "/admin/settings";

const settingsForm = z.object({
  signup_mode: z.enum(signupModes, "Choose who may sign up").optional(),
  new_account_included_monthly: nonNegativeMoney,
  new_account_overage_enabled: z.enum(["on"]).optional(),
  who_may_create_teams: z.enum(teamCreators, "Choose who may create teams"),
  team_invites_create_accounts: z.enum(
    teamInviteAccountModes,
    "Choose when a team admin's invite may create an account",
  ),
  webhooks_allow_private_addresses: z.enum(["on"]).optional(),
});

export const saveSettingsAction = formAction(
  {
    input: settingsForm,
    read: (formData) => Object.fromEntries(formData.entries()),
    keep: "all",
    revalidate: [PAGE],
  },
  async ({ db, actor, input }) => {
    await updateSignupSettings(db, actor, {
      signupMode: input.signup_mode,
      newAccountIncludedMonthly: input.new_account_included_monthly,
      newAccountOverageEnabled: input.new_account_overage_enabled === "on",
      whoMayCreateTeams: input.who_may_create_teams,
      teamInvitesCreateAccounts: input.team_invites_create_accounts,
      webhooksAllowPrivateAddresses: input.webhooks_allow_private_addresses === "on",
    });
  },
);

export interface InviteState extends FormState {
  inviteUrl?: string;
  email?: string;
}

const inviteForm = z.object({ email: emailSchema, resend: z.enum(["1"]).optional() });

export const createInviteAction = formAction<typeof inviteForm, InviteState>(
  {
    input: inviteForm,
    read: (formData) => ({
      email: formData.get("email") ?? "",
      resend: formData.get("resend") ?? undefined,
    }),
    keep: ["email"],
    revalidate: [PAGE],
  },
  async ({ db, actor, input }) => {
    const { invite, token } = await createInvite(db, actor, {
      email: input.email,
      duplicates: input.resend ? "resend" : "refuse",
    });
    return {
      ok: true,
      email: invite.email,
      inviteUrl: inviteUrl(publicBaseUrl(env().PUBLIC_URL, new Headers(await headers())), token),
    };
  },
);

const revokeAny = authedAction(
  { input: z.string(), invalid: "No such invite.", revalidate: [PAGE] },
  async ({ db, actor, input }) => {
    await revokeInvite(db, actor, input);
    return {};
  },
);

export async function revokeAnyInviteAction(inviteId: string) {
  return revokeAny(inviteId);
}
