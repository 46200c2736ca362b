import { z } from "zod";
import { payloadCaptureInput, payloadCaptureObject } from "@/lib/requests/schemas";
import { signupModes, teamCreators, teamInviteAccountModes } from "@/db/schema";
import { parseMoney } from "@/lib/core/money";

/** Zero or more in currency units → bigint micro-units ("0" grants no included usage). */
export const nonNegativeMoney = z
  .union([z.string(), z.number()], { error: "Enter an amount, like 10.00 (0 for none)" })
  .transform((value, ctx) => {
    const micros = parseMoney(value);
    if (micros === null || micros < 0n) {
      ctx.addIssue({ code: "custom", message: "Enter an amount, like 10.00 (0 for none)" });
      return z.NEVER;
    }
    return micros;
  })
  .meta({
    description: 'Money in currency units as a decimal string ("10.00"); numbers are accepted.',
  });

export const settingsObject = z.object({
  signup_mode: z.enum(signupModes).meta({ description: "What applies now." }),
  signup_mode_source: z
    .enum(["env", "settings"])
    .meta({ description: "`env` while SIGNUP_MODE is set: it wins over the stored setting." }),
  stored_signup_mode: z.enum(signupModes),
  new_account_included_monthly: z.string().meta({ description: "Money, decimal string." }),
  new_account_overage_enabled: z.boolean(),
  who_may_create_teams: z
    .enum(teamCreators)
    .meta({ description: "Under invite-only: who may create teams (default admins)." }),
  team_invites_create_accounts: z.enum(teamInviteAccountModes).meta({
    description:
      "Whether a team admin's invite may create a new account: never, admin_teams (the default: only in teams a platform admin created) or always.",
  }),
  webhooks_allow_private_addresses: z.boolean().meta({
    description:
      "Users' webhooks may target loopback and private ranges (default false; platform admins' always may).",
  }),
  payload_capture: payloadCaptureObject.meta({
    description: "Payload capture for every key without a key or team setting (null: off)",
  }),
});

export const updateSettingsBody = z.strictObject({
  signup_mode: z.enum(signupModes).optional(),
  new_account_included_monthly: nonNegativeMoney.optional(),
  new_account_overage_enabled: z.boolean().optional(),
  who_may_create_teams: z.enum(teamCreators).optional(),
  team_invites_create_accounts: z.enum(teamInviteAccountModes).optional(),
  webhooks_allow_private_addresses: z.boolean().optional(),
  payload_capture: payloadCaptureInput.optional(),
});
