import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { PublicUser } from "@/lib/users/service";

/** What our session token carries besides next-auth's own fields. */
export interface SessionClaims {
  user?: { id?: string | null } | null;
  /** The user's session version when the token was issued (absent in tokens issued before versions existed: 0). */
  sessionVersion?: number;
}

/**
 * The user a session belongs to, or null when the account is gone or disabled, or the
 * session was ended on the server (its version is older than the user's). Every place that
 * reads a session goes through here: a token outlives a sign-out, the database does not.
 */
export async function userOfSession(
  db: Db,
  session: SessionClaims | null,
): Promise<PublicUser | null> {
  const id = session?.user?.id;
  if (!id) return null;
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  if (!user || user.disabledAt) return null;
  if (user.sessionVersion !== (session?.sessionVersion ?? 0)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Ends every session of this user, wherever it is (sign-out, password change, "sign out everywhere"). */
export async function endAllSessions(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  return row?.sessionVersion ?? 0;
}

/** The current version, stamped into a token at sign-in. */
export async function currentSessionVersion(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row?.sessionVersion ?? 0;
}
