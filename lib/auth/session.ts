import { redirect } from "next/navigation";
import { auth } from "@/lib/auth";
import { getDb } from "@/db/client";
import { findActiveUser, type PublicUser } from "@/lib/users/service";

/**
 * The signed-in user, re-read from the database: a JWT outlives a disabled account or a
 * changed role, the database does not.
 */
export async function getSessionUser(): Promise<PublicUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return findActiveUser(await getDb(), id);
}

export async function requireSessionUser(): Promise<PublicUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}
