import { z } from "zod";
import { signupModes, teamRoles } from "@/db/schema";
import { isoTime, uuidParam } from "@/lib/api/common-schemas";
import { parseMoney } from "@/lib/billing/money";
import { emailSchema } from "@/lib/users/schemas";

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
  .meta({ description: 'Money in currency units as a decimal string ("10.00"); numbers are accepted.' });

export const createInviteBody = z.strictObject({
  email: emailSchema,
  team_id: uuidParam.optional().meta({ description: "Invite to this team (its admins); without it, to the install (platform admins)." }),
  role: z.enum(teamRoles).default("member").meta({ description: "The role in the team, with team_id." }),
});

export const inviteObject = z.object({
  id: z.uuid(),
  email: z.string(),
  team_id: z.uuid().nullable(),
  team_name: z.string().nullable(),
  role: z.enum(teamRoles),
  invited_by: z.string(),
  created_at: isoTime,
  expires_at: isoTime,
});

export const createdInviteObject = inviteObject.extend({
  invite_url: z.string().meta({ description: "The link, shown only here: single use, expires in 7 days." }),
});

export const inviteListObject = z.object({ object: z.literal("list"), data: z.array(inviteObject) });

export const listInvitesQuery = z.object({ team_id: uuidParam.optional() });

export const settingsObject = z.object({
  signup_mode: z.enum(signupModes).meta({ description: "What applies now." }),
  signup_mode_source: z.enum(["env", "settings"]).meta({ description: "`env` while SIGNUP_MODE is set: it wins over the stored setting." }),
  stored_signup_mode: z.enum(signupModes),
  new_account_included_monthly: z.string().meta({ description: "Money, decimal string." }),
  new_account_overage_enabled: z.boolean(),
});

export const updateSettingsBody = z.strictObject({
  signup_mode: z.enum(signupModes).optional(),
  new_account_included_monthly: nonNegativeMoney.optional(),
  new_account_overage_enabled: z.boolean().optional(),
});
