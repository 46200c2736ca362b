import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  instanceSettings,
  type SignupMode,
  type TeamCreators,
  type TeamInviteAccountMode,
} from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { formatMoney } from "@/lib/core/money";
import { env } from "@/lib/env";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";

export interface SignupSettings {
  /** What applies now: the environment's SIGNUP_MODE when set, else the admin's choice. */
  signupMode: SignupMode;
  /** Where `signupMode` comes from; the settings page says so when it is the environment. */
  signupModeSource: "env" | "settings";
  /** The admin's stored choice (shown, but overridden while SIGNUP_MODE is set). */
  storedSignupMode: SignupMode;
  newAccountIncludedMonthly: bigint;
  newAccountOverageEnabled: boolean;
  /** Under invite-only (or closed), who may create teams. */
  whoMayCreateTeams: TeamCreators;
  /** Whether a team admin's invite may create a new account (platform admins' always may). */
  teamInvitesCreateAccounts: TeamInviteAccountMode;
  /** Users' webhooks may target loopback and private ranges. */
  webhooksAllowPrivateAddresses: boolean;
}

/** Until an admin changes anything: invite only, nothing included, overage on (as before). */
const DEFAULTS = {
  signupMode: "invite" as SignupMode,
  newAccountIncludedMonthly: 0n,
  newAccountOverageEnabled: true,
  whoMayCreateTeams: "admins" as TeamCreators,
  teamInvitesCreateAccounts: "admin_teams" as TeamInviteAccountMode,
  webhooksAllowPrivateAddresses: false,
};

export async function getSignupSettings(db: Db): Promise<SignupSettings> {
  const [row] = await db.select().from(instanceSettings).where(eq(instanceSettings.id, 1)).limit(1);
  const stored = row ?? DEFAULTS;
  const fromEnv = env().SIGNUP_MODE;
  return {
    signupMode: fromEnv ?? stored.signupMode,
    signupModeSource: fromEnv ? "env" : "settings",
    storedSignupMode: stored.signupMode,
    newAccountIncludedMonthly: stored.newAccountIncludedMonthly,
    newAccountOverageEnabled: stored.newAccountOverageEnabled,
    whoMayCreateTeams: stored.whoMayCreateTeams,
    teamInvitesCreateAccounts: stored.teamInvitesCreateAccounts,
    webhooksAllowPrivateAddresses: stored.webhooksAllowPrivateAddresses,
  };
}

export interface SignupSettingsInput {
  signupMode?: SignupMode;
  newAccountIncludedMonthly?: bigint;
  newAccountOverageEnabled?: boolean;
  whoMayCreateTeams?: TeamCreators;
  teamInvitesCreateAccounts?: TeamInviteAccountMode;
  webhooksAllowPrivateAddresses?: boolean;
}

/** Platform admins only; audited with what changed. */
export async function updateSignupSettings(
  db: Db,
  actor: Actor,
  input: SignupSettingsInput,
): Promise<SignupSettings> {
  requirePlatformAdmin(actor, "change the install's settings");
  const before = await getSignupSettings(db);
  const values = {
    signupMode: input.signupMode ?? before.storedSignupMode,
    newAccountIncludedMonthly: input.newAccountIncludedMonthly ?? before.newAccountIncludedMonthly,
    newAccountOverageEnabled: input.newAccountOverageEnabled ?? before.newAccountOverageEnabled,
    whoMayCreateTeams: input.whoMayCreateTeams ?? before.whoMayCreateTeams,
    teamInvitesCreateAccounts: input.teamInvitesCreateAccounts ?? before.teamInvitesCreateAccounts,
    webhooksAllowPrivateAddresses:
      input.webhooksAllowPrivateAddresses ?? before.webhooksAllowPrivateAddresses,
    updatedBy: actor.user.id,
  };
  await db
    .insert(instanceSettings)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: instanceSettings.id, set: { ...values, updatedAt: sql`now()` } });
  await recordAudit(db, actor, {
    action: "settings.update",
    targetType: "settings",
    targetId: "signup",
    details: {
      signup_mode: values.signupMode,
      new_account_included_monthly: formatMoney(values.newAccountIncludedMonthly),
      new_account_overage_enabled: values.newAccountOverageEnabled,
      who_may_create_teams: values.whoMayCreateTeams,
      team_invites_create_accounts: values.teamInvitesCreateAccounts,
      webhooks_allow_private_addresses: values.webhooksAllowPrivateAddresses,
    },
  });
  return getSignupSettings(db);
}
