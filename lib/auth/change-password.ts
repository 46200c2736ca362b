import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { FieldError } from "@/lib/errors/domain-errors";
import { hashPassword, verifyPassword } from "./password";

/**
 * Sets a new password after checking the current one, and ends every session of the user
 * in the same statement (a stolen session must not survive the change that was meant to
 * lock its thief out).
 */
export async function changePassword(
  db: Db,
  userId: string,
  current: string,
  next: string,
): Promise<void> {
  const [user] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user?.passwordHash)
    throw new FieldError(
      "current_password",
      "This account signs in through single sign-on and has no password here.",
    );
  if (!(await verifyPassword(user.passwordHash, current)))
    throw new FieldError("current_password", "The current password is not right.");
  await db
    .update(users)
    .set({
      passwordHash: await hashPassword(next),
      sessionVersion: sql`${users.sessionVersion} + 1`,
    })
    .where(eq(users.id, userId));
  await db
    .insert(auditLog)
    .values({ actorUserId: userId, action: "user.password", targetType: "user", targetId: userId });
}
