import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invites, users } from "@/db/schema";
import { FieldError } from "@/lib/errors/domain-errors";
import { normalizeEmail } from "@/lib/users/service";
import { pending } from "./invites";

/**
 * What the dashboard's invite forms do with an email that was invited already or has an
 * account: `refuse` says so (the form then offers "Resend"), `resend` revokes the waiting
 * invite so a fresh link replaces it. The API keeps its old answer (no option given).
 */
export type DuplicateInvites = "refuse" | "resend";

/** The pending invite to this email in this scope (a team, or the install when `teamId` is null). */
export async function pendingInviteFor(
  db: Db,
  email: string,
  teamId: string | null,
  now = new Date(),
) {
  const [row] = await db
    .select({ id: invites.id, createdAt: invites.createdAt })
    .from(invites)
    .where(
      and(
        eq(invites.email, normalizeEmail(email)),
        teamId ? eq(invites.teamId, teamId) : isNull(invites.teamId),
        pending(now),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Refuses or replaces a waiting invite to the same email, as `mode` says. */
export async function handleDuplicateInvite(
  db: Db,
  email: string,
  teamId: string | null,
  mode: DuplicateInvites,
): Promise<void> {
  const existing = await pendingInviteFor(db, email, teamId);
  if (!existing) return;
  if (mode === "refuse")
    throw new FieldError(
      "email",
      `${normalizeEmail(email)} was already invited — resend? A new link replaces the old one.`,
      409,
    );
  await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(and(eq(invites.id, existing.id), isNull(invites.revokedAt)));
}

/** An install invite to an email that already has an account (the admin's own, say) is refused. */
export async function refuseExistingAccount(db: Db, email: string): Promise<void> {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .limit(1);
  if (user)
    throw new FieldError(
      "email",
      `${normalizeEmail(email)} already has an account — add them to a team under Teams instead.`,
      409,
    );
}
