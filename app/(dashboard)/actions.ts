"use server";

import { signOutEverywhereAction } from "./settings/account/actions";

/** Signing out ends every session of this user (see signOutEverywhereAction for why). */
export async function signOutAction(): Promise<void> {
  await signOutEverywhereAction();
}
