import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { loginHref, PAGE_URL_HEADER } from "./return-to";
import { auth } from "@/lib/auth";
import { getDatabase } from "@/db/client";
import type { Actor } from "@/lib/core/actor";
import type { PublicUser } from "@/lib/users/service";
import { userOfSession, type SessionClaims } from "./session-user";

/** What every session-only entry point says when the session is gone (signed out, disabled, ended elsewhere). */
export const SESSION_ENDED = "Your session has ended. Sign in again.";

/**
 * The signed-in user, re-read from the database: a JWT outlives a disabled account, a
 * changed role or a sign-out, the database does not.
 */
export async function getSessionUser(): Promise<PublicUser | null> {
  return userOfSession((await getDatabase()).db, (await auth()) as SessionClaims | null);
}

/** The session's user as the actor services take, or null when signed out. */
export async function getSessionActor(): Promise<Actor | null> {
  const user = await getSessionUser();
  return user && { user, keyId: null };
}

export async function requireSessionUser(): Promise<PublicUser> {
  const user = await getSessionUser();
  if (!user) redirect(loginHref((await headers()).get(PAGE_URL_HEADER)));
  return user;
}

/** For pages: the actor, or a redirect to the sign-in page. */
export async function requireSessionActor(): Promise<Actor> {
  const actor = await getSessionActor();
  if (!actor) redirect(loginHref((await headers()).get(PAGE_URL_HEADER)));
  return actor;
}
