import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { teams } from "./teams";
import { users } from "./users";

/**
 * The balance of a user or a team. What is left in each bucket is the sum of the ledger;
 * this row only holds the settings an admin chooses.
 */
export const billingAccounts = pgTable(
  "billing_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    /** The plan's included usage granted each calendar month (UTC), micro-units. */
    includedMonthly: bigint("included_monthly", { mode: "bigint" })
      .notNull()
      .default(sql`0`),
    /** When off, `/v1` refuses with 402 once included usage and prepaid credit are spent. */
    overageEnabled: boolean("overage_enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("billing_accounts_user_idx").on(t.userId),
    uniqueIndex("billing_accounts_team_idx").on(t.teamId),
    check("billing_accounts_one_owner", sql`(${t.userId} is null) <> (${t.teamId} is null)`),
  ],
);

export const ledgerBuckets = ["included", "prepaid", "overage"] as const;
export type LedgerBucket = (typeof ledgerBuckets)[number];

/**
 * Every movement of money: credit added by an admin (positive), usage drawn (negative),
 * per bucket. `period` is the month (`2026-11`) a row of the included bucket belongs to.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => billingAccounts.id, { onDelete: "cascade" }),
    bucket: text("bucket", { enum: ledgerBuckets }).notNull(),
    amount: bigint("amount", { mode: "bigint" }).notNull(),
    period: text("period"),
    kind: text("kind", { enum: ["usage", "credit", "adjustment"] }).notNull(),
    keyId: uuid("key_id"),
    note: text("note"),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ledger_account_time_idx").on(t.accountId, t.createdAt)],
);

export type BillingAccount = typeof billingAccounts.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;
