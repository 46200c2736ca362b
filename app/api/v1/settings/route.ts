import { apiRoute } from "@/lib/api/route";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { toSettingsObject } from "@/lib/settings/settings-view";
import { updateSettingsBody } from "@/lib/settings/schemas";
import { getSignupSettings, updateSignupSettings } from "@/lib/settings/signup-settings";

export const dynamic = "force-dynamic";

export const GET = apiRoute({}, async ({ actor, db }) => {
  requirePlatformAdmin(actor, "see the install's settings");
  return toSettingsObject(await getSignupSettings(db));
});

export const PATCH = apiRoute({ body: updateSettingsBody }, async ({ actor, db, body }) =>
  toSettingsObject(
    await updateSignupSettings(db, actor, {
      signupMode: body.signup_mode,
      newAccountIncludedMonthly: body.new_account_included_monthly,
      newAccountOverageEnabled: body.new_account_overage_enabled,
    }),
  ),
);
