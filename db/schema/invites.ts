import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { teams, teamRoles } from "./teams";
import { users } from "./users";

/**
 * An invitation for one email to create an account (and, with `team_id`, to join that team).
 * Only the SHA-256 of the link's token is stored: a database dump holds no usable link.
 * Single use (`accepted_at`), revocable, and it expires.
 */
export const invites = pgTable(
  "invites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stored lowercased, like users.email. */
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull(),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    teamRole: text("team_role", { enum: teamRoles }).notNull().default("member"),
    invitedBy: uuid("invited_by")
      .notNull()
      .references(() => users.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("invites_token_hash_idx").on(t.tokenHash),
    index("invites_team_idx").on(t.teamId),
    check("invites_team_role_check", sql`${t.teamRole} in ('admin', 'member')`),
  ],
);

export type Invite = typeof invites.$inferSelect;
