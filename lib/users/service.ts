import { DomainError } from "@/lib/errors/domain-errors";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, type User } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { getSignupSettings } from "@/lib/settings/signup-settings";
import { applyNewAccountDefaults } from "./new-account-defaults";

export type PublicUser = Pick<User, "id" | "email" | "name" | "role">;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A sign-up or a new member whose email has an account already: a 409 on the API, a field error in a form. */
export class EmailTakenError extends DomainError {
  constructor() {
    super("conflict", "An account with this email already exists", "email");
  }
}

/** Serialises sign-ups so that "is this the first account?" has one answer. */
export const SIGN_UP_LOCK_ID = 72_411_914;

/**
 * Creates an account. The first account of a fresh install becomes the platform admin;
 * a transaction-scoped advisory lock keeps two simultaneous first sign-ups from both winning.
 */
export async function createUser(
  db: Db,
  input: { email: string; name: string; password: string | null },
): Promise<PublicUser> {
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SIGN_UP_LOCK_ID})`);
    return tx
      .insert(users)
      .values({
        email: normalizeEmail(input.email),
        name: input.name.trim(),
        passwordHash,
        role: sql`(case when exists (select 1 from ${users}) then 'user' else 'admin' end)`,
      })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role });
  });
  if (rows.length === 0) throw new EmailTakenError();
  return rows[0];
}

export type CredentialCheck =
  | { status: "ok"; user: PublicUser & { sessionVersion: number } }
  | { status: "disabled" }
  | { status: "invalid" };

/**
 * What these credentials are worth. "disabled" only after the right password: telling a
 * guesser that an account is disabled would tell them it exists.
 */
export async function checkCredentials(
  db: Db,
  email: string,
  password: string,
): Promise<CredentialCheck> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .limit(1);
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !ok) return { status: "invalid" };
  if (user.disabledAt) return { status: "disabled" };
  return {
    status: "ok",
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      sessionVersion: user.sessionVersion,
    },
  };
}

/** The user for these credentials, or null (wrong password, unknown or disabled account). */
export async function verifyCredentials(
  db: Db,
  email: string,
  password: string,
): Promise<PublicUser | null> {
  const result = await checkCredentials(db, email, password);
  if (result.status !== "ok") return null;
  const { sessionVersion: _version, ...user } = result.user;
  void _version;
  return user;
}

/** An enabled user by id, or null. */
export async function findActiveUser(db: Db, id: string): Promise<PublicUser | null> {
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * Sign-in through OIDC: the account with this email, created on first sign-in when the
 * install's sign-up mode lets anyone in (open), or for the very first account. Under
 * invite-only or closed, single sign-on reaches only accounts that already exist.
 */
export async function findOrCreateOidcUser(
  db: Db,
  email: string,
  name: string,
): Promise<PublicUser | null> {
  const [existing] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .limit(1);
  if (existing)
    return existing.disabledAt
      ? null
      : { id: existing.id, email: existing.email, name: existing.name, role: existing.role };
  const [anyone] = await db.select({ id: users.id }).from(users).limit(1);
  const settings = await getSignupSettings(db);
  if (anyone && settings.signupMode !== "open") return null;
  try {
    const created = await createUser(db, { email, name: name || email, password: null });
    await applyNewAccountDefaults(db, created.id, settings);
    return created;
  } catch (error) {
    if (error instanceof EmailTakenError) return findOrCreateOidcUser(db, email, name);
    throw error;
  }
}
