import { formatMoney } from "@/lib/billing/money";
import type { SignupSettings } from "./signup-settings";

export function toSettingsObject(settings: SignupSettings) {
  return {
    signup_mode: settings.signupMode,
    signup_mode_source: settings.signupModeSource,
    stored_signup_mode: settings.storedSignupMode,
    new_account_included_monthly: formatMoney(settings.newAccountIncludedMonthly),
    new_account_overage_enabled: settings.newAccountOverageEnabled,
  };
}
