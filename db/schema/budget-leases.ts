import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";

/**
 * The share of a key's `reserved` that one gateway process holds (lib/gateway/stores/budget-lease.ts).
 * The process renews `expires_at` on its timer; a process that stops (crash, kill -9) stops
 * renewing, and the next process to lease budget for the key gives the expired amount back
 * to the key. `holder` is a random id per process, not a secret.
 */
export const budgetLeases = pgTable(
  "budget_leases",
  {
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    holder: text("holder").notNull(),
    amount: bigint("amount", { mode: "bigint" }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.holder] }),
    index("budget_leases_holder_idx").on(t.holder),
    check("budget_leases_amount_nonnegative", sql`${t.amount} >= 0`),
  ],
);
