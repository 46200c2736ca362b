import { z } from "zod";
import { signupModes } from "@/db/schema";
import { parseMoney } from "@/lib/billing/money";

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
});

export const updateSettingsBody = z.strictObject({
  signup_mode: z.enum(signupModes).optional(),
  new_account_included_monthly: nonNegativeMoney.optional(),
  new_account_overage_enabled: z.boolean().optional(),
});
