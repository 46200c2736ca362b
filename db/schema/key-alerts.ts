import { bigint, index, integer, pgTable, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";

/**
 * A spending threshold a key crossed in one budget period. The unique index is what makes
 * each threshold fire once per period: whichever process inserts the row first sends the
 * alert, every other attempt (another process, a restart, a retry) inserts nothing.
 * The rows double as the dashboard's notices.
 */
export const keyAlerts = pgTable(
  "key_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    /** Start of the budget period (the key's creation for a lifetime limit). */
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    /** Percent of the spending limit. */
    threshold: integer("threshold").notNull(),
    spend: bigint("spend", { mode: "bigint" }).notNull(),
    spendingLimit: bigint("spending_limit", { mode: "bigint" }).notNull(),
    firedAt: timestamp("fired_at", { withTimezone: true }).notNull().defaultNow(),
    dismissedAt: timestamp("dismissed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("key_alerts_once_idx").on(t.keyId, t.periodStart, t.threshold),
    index("key_alerts_time_idx").on(t.firedAt),
  ],
);

export type KeyAlertRow = typeof keyAlerts.$inferSelect;
