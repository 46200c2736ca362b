import { apiRoute } from "@/lib/api/route";
import { toSettingsObject } from "@/lib/settings/settings-view";
import { updateSettingsBody } from "@/lib/settings/schemas";
import { getSignupSettings, updateSignupSettings } from "@/lib/settings/signup-settings";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  { requires: "platform_admin", doing: "see the install's settings" },
  async ({ db }) => toSettingsObject(await getSignupSettings(db)),
);

export const PATCH = apiRoute(
  { requires: "platform_admin", doing: "change the install's settings", body: updateSettingsBody },
  async ({ actor, db, body }) =>
    toSettingsObject(
      await updateSignupSettings(db, actor, {
        signupMode: body.signup_mode,
        newAccountIncludedMonthly: body.new_account_included_monthly,
        newAccountOverageEnabled: body.new_account_overage_enabled,
      }),
    ),
);
