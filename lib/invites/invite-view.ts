import { formatMoney } from "@/lib/billing/money";
import type { SignupSettings } from "@/lib/settings/signup-settings";
import { invitePath } from "./invite-token";
import type { InviteView } from "./invites";

export function toInviteObject(invite: InviteView) {
  return {
    id: invite.id,
    email: invite.email,
    team_id: invite.teamId,
    team_name: invite.teamName,
    role: invite.teamRole,
    invited_by: invite.invitedByName,
    created_at: invite.createdAt.toISOString(),
    expires_at: invite.expiresAt.toISOString(),
  };
}

export function inviteUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${invitePath(token)}`;
}

export function toSettingsObject(settings: SignupSettings) {
  return {
    signup_mode: settings.signupMode,
    signup_mode_source: settings.signupModeSource,
    stored_signup_mode: settings.storedSignupMode,
    new_account_included_monthly: formatMoney(settings.newAccountIncludedMonthly),
    new_account_overage_enabled: settings.newAccountOverageEnabled,
  };
}
