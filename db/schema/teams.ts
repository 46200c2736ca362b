import { sql } from "drizzle-orm";
import { index, pgTable, primaryKey, text, timestamp, uuid, check } from "drizzle-orm/pg-core";
import { payloadCaptureColumn } from "./payload-capture";
import { users } from "./users";

export const teamRoles = ["admin", "member"] as const;
export type TeamRole = (typeof teamRoles)[number];

export const teams = pgTable("teams", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  createdBy: uuid("created_by")
    .notNull()
    .references(() => users.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  /** Set when a team admin deletes the team: its keys are revoked and its members removed; the row stays for the keys' and usage's history. */
  deletedAt: timestamp("deleted_at", { withTimezone: true }),
  /** Payload capture for the team's keys (null: the instance's); a key's own setting wins. */
  payloadCapture: payloadCaptureColumn(),
});

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: teamRoles }).notNull().default("member"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    index("team_members_user_idx").on(t.userId),
    check("team_members_role_check", sql`${t.role} in ('admin', 'member')`),
  ],
);

export type Team = typeof teams.$inferSelect;
export type TeamMember = typeof teamMembers.$inferSelect;
