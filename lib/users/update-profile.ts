import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { FieldError } from "@/lib/errors/domain-errors";
import { emailSchema, signUpSchema } from "./schemas";

/** Settings → Account: the name and email a user goes by, checked as at sign-up. */
export const profileBody = z.object({ name: signUpSchema.shape.name, email: emailSchema });
export type ProfileInput = z.output<typeof profileBody>;

const EMAIL_TAKEN = "Another account already uses this email.";

/**
 * Changes the user's own name and email. An email another account has is refused on the
 * email field (checked first for the message, and by the unique index for a race); the
 * audit log records what changed from what. Returns the fields that changed.
 */
export async function updateProfile(
  db: Db,
  actor: Actor,
  input: ProfileInput,
): Promise<("name" | "email")[]> {
  const userId = actor.user.id;
  const [current] = await db
    .select({ name: users.name, email: users.email })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!current) throw new FieldError("form", "This account no longer exists.");
  const changes: Partial<ProfileInput> = {};
  if (input.name !== current.name) changes.name = input.name;
  if (input.email !== current.email) {
    const [taken] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, input.email), ne(users.id, userId)))
      .limit(1);
    if (taken) throw new FieldError("email", EMAIL_TAKEN, 409);
    changes.email = input.email;
  }
  const changed = Object.keys(changes) as ("name" | "email")[];
  if (changed.length === 0) return changed;
  try {
    await db.update(users).set(changes).where(eq(users.id, userId));
  } catch (error) {
    if (changes.email && uniqueViolation(error)) throw new FieldError("email", EMAIL_TAKEN, 409);
    throw error;
  }
  await recordAudit(db, actor, {
    action: "user.profile",
    targetType: "user",
    targetId: userId,
    details: Object.fromEntries(
      changed.map((field) => [field, { from: current[field], to: changes[field] }]),
    ),
  });
  return changed;
}

function uniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause)
    if ((e as { code?: unknown }).code === "23505") return true;
  return false;
}
