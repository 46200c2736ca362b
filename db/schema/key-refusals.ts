import { sql } from "drizzle-orm";
import { check, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";

/**
 * Refusals of a known key (revoked, expired, paused, limit reached, rate limited, model or
 * address not allowed, no balance), counted per key, minute and code, so that a user sees
 * why an application fails (PRODUCT.md, "Every request is recorded"). The gateway counts
 * them in memory and adds to these rows in one statement per flush (lib/gateway/refusal-
 * counter.ts): a flood of refused requests never becomes a write each.
 */
export const keyRefusals = pgTable(
  "key_refusals",
  {
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    /** The UTC minute the refusals fell in. */
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    /** The error code answered (`rate_limit_exceeded`, `key_revoked`…). */
    code: text("code").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.minute, t.code] }),
    check("key_refusals_count_positive", sql`${t.count} > 0`),
  ],
);
