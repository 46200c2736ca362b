import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { instanceSettings, users } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";

/** A user inserted directly (no password hashing: these tests are about keys and teams, not sign-in). */
export async function makeActor(db: Db, name = "User"): Promise<Actor> {
  const email = `${name.toLowerCase().replace(/\W+/g, "-")}-${randomBytes(4).toString("hex")}@example.test`;
  const [user] = await db
    .insert(users)
    .values({ email, name, passwordHash: null, role: "user" })
    .returning({ id: users.id, email: users.email, name: users.name, role: users.role });
  return { user, keyId: null };
}

/** A platform admin, inserted directly like makeActor's users. */
export async function makeAdmin(db: Db, name = "Admin"): Promise<Actor> {
  const made = await makeActor(db, name);
  await db.update(users).set({ role: "admin" }).where(eq(users.id, made.user.id));
  return { ...made, user: { ...made.user, role: "admin" } };
}

/**
 * For suites about what teams do, not about who may make them: every user may create a
 * team and a team invite may create an account (the defaults refuse both to non-admins
 * under invite-only; tests/auth/invite-only-gate.test.ts covers those).
 */
export async function letEveryoneMakeTeams(db: Db): Promise<void> {
  await db
    .insert(instanceSettings)
    .values({ id: 1, whoMayCreateTeams: "everyone", teamInvitesCreateAccounts: "always" })
    .onConflictDoUpdate({
      target: instanceSettings.id,
      set: { whoMayCreateTeams: "everyone", teamInvitesCreateAccounts: "always" },
    });
}

/** For suites whose receivers listen on loopback: the platform admin's setting that allows it. */
export async function allowPrivateWebhooks(db: Db): Promise<void> {
  await db
    .insert(instanceSettings)
    .values({ id: 1, webhooksAllowPrivateAddresses: true })
    .onConflictDoUpdate({
      target: instanceSettings.id,
      set: { webhooksAllowPrivateAddresses: true },
    });
}
