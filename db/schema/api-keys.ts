import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { teams } from "./teams";
import { users } from "./users";

export const keyTypes = ["model_serving", "management"] as const;
export type KeyType = (typeof keyTypes)[number];

/**
 * An API key. The raw key is never stored: only its SHA-256 (hex) and what the list shows
 * (prefix and last four characters). Owner: the team when `team_id` is set, otherwise the
 * creator personally. Money columns are micro-units of the configured currency.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    type: text("type", { enum: keyTypes }).notNull().default("model_serving"),
    keyHash: text("key_hash").notNull(),
    /** e.g. `mb_live_`; with `last4` makes the masked display `mb_live_…a1b2`. */
    prefix: text("prefix").notNull(),
    last4: text("last4").notNull(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    teamId: uuid("team_id").references(() => teams.id),
    spendingLimit: bigint("spending_limit", { mode: "bigint" }),
    /** Settled spend. */
    spend: bigint("spend", { mode: "bigint" }).notNull().default(sql`0`),
    /** Budget held by in-flight requests (or leased by a process); released when they settle. */
    reserved: bigint("reserved", { mode: "bigint" }).notNull().default(sql`0`),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => users.id),
  },
  (t) => [
    uniqueIndex("api_keys_hash_idx").on(t.keyHash),
    index("api_keys_personal_idx").on(t.createdBy, t.teamId),
    index("api_keys_team_idx").on(t.teamId),
    check("api_keys_type_check", sql`${t.type} in ('model_serving', 'management')`),
    check("api_keys_management_personal", sql`${t.type} <> 'management' or ${t.teamId} is null`),
    check("api_keys_money_nonnegative", sql`${t.spend} >= 0 and ${t.reserved} >= 0`),
    check("api_keys_limit_positive", sql`${t.spendingLimit} is null or ${t.spendingLimit} > 0`),
  ],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
