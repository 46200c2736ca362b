import { safeSearch } from "@/lib/http/search-param";
import { and, asc, count, eq, ilike, isNull, ne, not, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, users, type PlatformRole } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { activeKeyAt, isPlaygroundKey } from "@/lib/keys/active-key-sql";
import { invalidateKey } from "@/lib/keys/invalidate";
import { ConflictError, NotFoundError } from "@/lib/errors/domain-errors";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";

export interface AdminUserView {
  id: string;
  email: string;
  name: string;
  role: PlatformRole;
  disabledAt: Date | null;
  createdAt: Date;
  activeKeys: number;
}

/** Every account, for the Admin → Users page; optionally filtered by name or email. */
export async function listUsers(db: Db, actor: Actor, search = ""): Promise<AdminUserView[]> {
  requirePlatformAdmin(actor, "manage users");
  const pattern = `%${safeSearch(search)
    .trim()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const now = new Date();
  // A grouped subquery joined on the user, not a correlated one written in raw sql: inside a
  // raw subquery drizzle renders `users.id` as a bare "id", which Postgres resolves to
  // api_keys.id, and every user showed 0. Joined, drizzle qualifies every column.
  const activeKeys = db
    .select({ userId: apiKeys.createdBy, n: count().as("active_keys") })
    .from(apiKeys)
    // The same rule as the user's own page and the key cap: the Playground's key is not
    // one of theirs (it showed one more here than on their page).
    .where(and(activeKeyAt(now), not(isPlaygroundKey)))
    .groupBy(apiKeys.createdBy)
    .as("active_keys_by_user");
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
      activeKeys: sql<number>`coalesce(${activeKeys.n}, 0)::int`,
    })
    .from(users)
    .leftJoin(activeKeys, eq(activeKeys.userId, users.id))
    .where(search.trim() ? or(ilike(users.email, pattern), ilike(users.name, pattern)) : undefined)
    .orderBy(asc(users.createdAt))
    .limit(500);
  return rows.map((row) => ({ ...row, activeKeys: Number(row.activeKeys) }));
}

async function activeAdminCount(db: Db, except: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, except)));
  return Number(row?.n ?? 0);
}

async function findUser(db: Db, id: string) {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!user) throw new NotFoundError("user");
  return user;
}

/** Makes a user a platform admin or takes it away; the install always keeps one active admin. */
export async function setUserRole(
  db: Db,
  actor: Actor,
  userId: string,
  role: PlatformRole,
): Promise<void> {
  requirePlatformAdmin(actor, "manage users");
  const user = await findUser(db, userId);
  if (user.role === role) return;
  if (role === "user" && (await activeAdminCount(db, userId)) === 0) {
    throw new ConflictError(
      "last_admin",
      "This is the only platform admin. Make someone else an admin first.",
    );
  }
  await db.update(users).set({ role }).where(eq(users.id, userId));
  await recordAudit(db, actor, {
    action: "user.role",
    targetType: "user",
    targetId: userId,
    details: { role },
  });
}

/**
 * Disables or re-enables an account. A disabled user cannot sign in, their sessions stop
 * working at the next request, and every key they created is refused by `/v1` at once
 * (the gateway's key cache is flushed here and, through NOTIFY, in every other process).
 */
export async function setUserDisabled(
  db: Db,
  actor: Actor,
  userId: string,
  disabled: boolean,
): Promise<void> {
  requirePlatformAdmin(actor, "manage users");
  if (userId === actor.user.id && disabled) {
    throw new ConflictError("cannot_disable_self", "You cannot disable your own account.");
  }
  const user = await findUser(db, userId);
  if (Boolean(user.disabledAt) === disabled) return;
  if (disabled && user.role === "admin" && (await activeAdminCount(db, userId)) === 0) {
    throw new ConflictError(
      "last_admin",
      "This is the only platform admin. Make someone else an admin first.",
    );
  }
  await db
    .update(users)
    .set({ disabledAt: disabled ? new Date() : null })
    .where(eq(users.id, userId));
  await recordAudit(db, actor, {
    action: disabled ? "user.disable" : "user.enable",
    targetType: "user",
    targetId: userId,
  });
  await invalidateKey(db, "*");
}
