import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/api/actor";

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
