import { sql } from "drizzle-orm";
import { integer, pgTable, text, timestamp, uuid, uniqueIndex, check } from "drizzle-orm/pg-core";

/** Platform role: the first account on a fresh install is `admin` (a "tenant admin"). */
export const platformRoles = ["admin", "user"] as const;
export type PlatformRole = (typeof platformRoles)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stored lowercased; the unique index is on the stored value. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** argon2id PHC string; null for accounts that only sign in through OIDC. */
    passwordHash: text("password_hash"),
    role: text("role", { enum: platformRoles }).notNull().default("user"),
    /** A disabled user cannot sign in and their keys stop working. */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /**
     * Sessions are signed tokens the server cannot delete; each carries the version current
     * when it was issued. Sign-out, a password change and "sign out everywhere" bump it, so
     * every older token stops working wherever it is replayed.
     */
    sessionVersion: integer("session_version").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_idx").on(t.email),
    check("users_role_check", sql`${t.role} in ('admin', 'user')`),
  ],
);

export type User = typeof users.$inferSelect;
