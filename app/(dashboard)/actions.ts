"use server";

import { getDb } from "@/db/client";
import { signOut } from "@/lib/auth";
import { getSessionUser } from "@/lib/auth/session";
import { endAllSessions } from "@/lib/auth/session-user";

/**
 * Clearing the cookie is not enough: a copy of the token would work for its whole life.
 * Bumping the user's session version ends it on the server (and every other session of
 * this user: the version is per user, not per device).
 */
export async function signOutAction(): Promise<void> {
  const user = await getSessionUser();
  if (user) await endAllSessions(await getDb(), user.id);
  await signOut({ redirectTo: "/login" });
}
