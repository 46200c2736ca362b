import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { payloadCaptureColumn } from "./payload-capture";
import { teams } from "./teams";
import { users } from "./users";

export const keyTypes = ["model_serving", "management"] as const;
export type KeyType = (typeof keyTypes)[number];

/** `none`: the spending limit is for the key's life. Otherwise it resets at each UTC boundary. */
export const budgetPeriods = ["none", "daily", "weekly", "monthly"] as const;
export type BudgetPeriod = (typeof budgetPeriods)[number];

export const DEFAULT_ALERT_THRESHOLDS = [50, 80, 100];

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
    spend: bigint("spend", { mode: "bigint" })
      .notNull()
      .default(sql`0`),
    /** Budget held by in-flight requests (or leased by a process); released when they settle. */
    reserved: bigint("reserved", { mode: "bigint" })
      .notNull()
      .default(sql`0`),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => users.id),
    /** Null: every enabled model. Otherwise the public model names this key may call. */
    allowedModels: text("allowed_models").array(),
    /** Null: no limit. Per minute (a sliding window), and in flight at once. */
    requestsPerMinute: integer("requests_per_minute"),
    tokensPerMinute: integer("tokens_per_minute"),
    maxConcurrent: integer("max_concurrent"),
    budgetPeriod: text("budget_period", { enum: budgetPeriods }).notNull().default("none"),
    /**
     * The start (UTC) of the period `period_spend` counts. When the clock passes the next
     * boundary, the first writer moves it forward and zeroes `period_spend` in the same
     * statement (so the reset happens once, whichever process gets there first). For
     * `none` it stays null and `period_spend` follows `spend`.
     */
    periodStart: timestamp("period_start", { withTimezone: true }),
    /** Settled spend in the current period: what the spending limit is held against. */
    periodSpend: bigint("period_spend", { mode: "bigint" })
      .notNull()
      .default(sql`0`),
    /** Null: any address. CIDR ranges (IPv4 and IPv6) the key may be used from. */
    ipAllowlist: text("ip_allowlist").array(),
    /** Percentages of the spending limit at which the owner is alerted, once per period. */
    alertThresholds: integer("alert_thresholds")
      .array()
      .notNull()
      .default(sql`'{50,80,100}'::integer[]`),
    /** Paused keys are refused (403 key_paused) until resumed; unlike revoke it is reversible. */
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    pausedBy: uuid("paused_by").references(() => users.id),
    /**
     * Controls a team admin set on a member's team key (`spending_limit`, `allowed_models`,
     * `rate_limits`, `ip_allowlist`, `expires_at`, `budget_period`): the member who created
     * the key cannot change them afterwards (lib/keys/admin-locks.ts).
     */
    lockedControls: text("locked_controls")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Payload capture for this key's traffic (db/schema/payload-capture.ts); null: the team's or the instance's. */
    payloadCapture: payloadCaptureColumn(),
    /** After a roll: the old secret's hash, accepted until `previous_key_expires_at`, then 401 key_rotated. */
    previousKeyHash: text("previous_key_hash"),
    previousKeyExpiresAt: timestamp("previous_key_expires_at", { withTimezone: true }),
    rolledAt: timestamp("rolled_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("api_keys_hash_idx").on(t.keyHash),
    index("api_keys_personal_idx").on(t.createdBy, t.teamId),
    index("api_keys_team_idx").on(t.teamId),
    check("api_keys_type_check", sql`${t.type} in ('model_serving', 'management')`),
    check("api_keys_management_personal", sql`${t.type} <> 'management' or ${t.teamId} is null`),
    check("api_keys_money_nonnegative", sql`${t.spend} >= 0 and ${t.reserved} >= 0`),
    check("api_keys_limit_positive", sql`${t.spendingLimit} is null or ${t.spendingLimit} > 0`),
    uniqueIndex("api_keys_previous_hash_idx").on(t.previousKeyHash),
    check(
      "api_keys_budget_period_check",
      sql`${t.budgetPeriod} in ('none', 'daily', 'weekly', 'monthly')`,
    ),
    check(
      "api_keys_rate_limits_positive",
      sql`(${t.requestsPerMinute} is null or ${t.requestsPerMinute} > 0) and (${t.tokensPerMinute} is null or ${t.tokensPerMinute} > 0) and (${t.maxConcurrent} is null or ${t.maxConcurrent} > 0)`,
    ),
    check("api_keys_period_spend_nonnegative", sql`${t.periodSpend} >= 0`),
  ],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
