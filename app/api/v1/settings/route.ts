import { apiRoute } from "@/lib/api/route";
import { instanceCapture, setInstanceCapture } from "@/lib/requests/capture-settings";
import { toSettingsObject } from "@/lib/settings/settings-view";
import { settingsObject, updateSettingsBody } from "@/lib/settings/schemas";
import { getSignupSettings, updateSignupSettings } from "@/lib/settings/signup-settings";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  {
    summary: "Sign-up mode and defaults for new accounts (platform admins)",
    response: settingsObject,
    requires: "platform_admin",
    doing: "see the install's settings",
  },
  async ({ db }) => toSettingsObject(await getSignupSettings(db), await instanceCapture(db)),
);

export const PATCH = apiRoute(
  {
    summary: "Change the sign-up mode or the defaults for new accounts (platform admins)",
    body: updateSettingsBody,
    response: settingsObject,
    requires: "platform_admin",
    doing: "change the install's settings",
  },
  async ({ actor, db, body }) => {
    const { payload_capture: capture, ...rest } = body;
    if (capture !== undefined) await setInstanceCapture(db, actor, capture);
    const signup =
      capture === undefined || Object.values(rest).some((value) => value !== undefined)
        ? await updateSignupSettings(db, actor, {
            signupMode: rest.signup_mode,
            newAccountIncludedMonthly: rest.new_account_included_monthly,
            newAccountOverageEnabled: rest.new_account_overage_enabled,
            whoMayCreateTeams: rest.who_may_create_teams,
            teamInvitesCreateAccounts: rest.team_invites_create_accounts,
            webhooksAllowPrivateAddresses: rest.webhooks_allow_private_addresses,
          })
        : await getSignupSettings(db);
    return toSettingsObject(signup, await instanceCapture(db));
  },
);
