import { formatMoney } from "@/lib/core/money";
import type { PayloadCaptureSetting } from "@/db/schema/payload-capture";
import type { SignupSettings } from "./signup-settings";

export function toSettingsObject(
  settings: SignupSettings,
  capture: PayloadCaptureSetting | null = null,
) {
  return {
    signup_mode: settings.signupMode,
    signup_mode_source: settings.signupModeSource,
    stored_signup_mode: settings.storedSignupMode,
    new_account_included_monthly: formatMoney(settings.newAccountIncludedMonthly),
    new_account_overage_enabled: settings.newAccountOverageEnabled,
    who_may_create_teams: settings.whoMayCreateTeams,
    team_invites_create_accounts: settings.teamInvitesCreateAccounts,
    webhooks_allow_private_addresses: settings.webhooksAllowPrivateAddresses,
    payload_capture: capture ? { enabled: capture.enabled, sample_rate: capture.sampleRate } : null,
  };
}
