import type { Db } from "@/db/client";
import { billingAccounts } from "@/db/schema";
import type { SignupSettings } from "@/lib/settings/signup-settings";

/** A new account's balance starts with what the admin set under Admin → Settings. */
export async function applyNewAccountDefaults(
  db: Db,
  userId: string,
  settings: SignupSettings,
): Promise<void> {
  await db
    .insert(billingAccounts)
    .values({
      userId,
      includedMonthly: settings.newAccountIncludedMonthly,
      overageEnabled: settings.newAccountOverageEnabled,
    })
    .onConflictDoNothing();
}
