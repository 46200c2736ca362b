import { redirect } from "next/navigation";
import { auth } from "@/lib/auth";
import { getDb } from "@/db/client";
import type { PublicUser } from "@/lib/users/service";
import { userOfSession, type SessionClaims } from "./session-user";

/**
 * The signed-in user, re-read from the database: a JWT outlives a disabled account, a
 * changed role or a sign-out, the database does not.
 */
export async function getSessionUser(): Promise<PublicUser | null> {
  return userOfSession(await getDb(), (await auth()) as SessionClaims | null);
}

export async function requireSessionUser(): Promise<PublicUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}
