import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { instanceSettings, type SignupMode } from "@/db/schema";
import type { Actor } from "@/lib/api/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { formatMoney } from "@/lib/billing/money";
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
}

/** Until an admin changes anything: invite only, nothing included, overage on (as before). */
const DEFAULTS = {
  signupMode: "invite" as SignupMode,
  newAccountIncludedMonthly: 0n,
  newAccountOverageEnabled: true,
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
  };
}

export interface SignupSettingsInput {
  signupMode?: SignupMode;
  newAccountIncludedMonthly?: bigint;
  newAccountOverageEnabled?: boolean;
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
    },
  });
  return getSignupSettings(db);
}
