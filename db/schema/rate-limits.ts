import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";

/**
 * A key's rate-limit counters for one UTC minute, shared by every process on this
 * Postgres (lib/gateway/stores/rate-limit). Processes take slices of the minute's allowance in one
 * atomic statement and serve requests from them in memory; what a slice leaves unused is
 * given back. The limit is judged as a sliding-window estimate: this minute's count plus
 * the previous minute's, weighted by how much of it the window still covers.
 */
export const rateLimitWindows = pgTable(
  "rate_limit_windows",
  {
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    requests: integer("requests").notNull().default(0),
    tokens: bigint("tokens", { mode: "bigint" })
      .notNull()
      .default(sql`0`),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.windowStart] }),
    index("rate_limit_windows_start_idx").on(t.windowStart),
    check("rate_limit_windows_nonnegative", sql`${t.requests} >= 0 and ${t.tokens} >= 0`),
  ],
);

/**
 * Concurrency slots of a key a process holds (like budget_leases): renewed on the process's
 * timer; slots of a process that stopped renewing are ignored once expired.
 */
export const concurrencyLeases = pgTable(
  "concurrency_leases",
  {
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    holder: text("holder").notNull(),
    slots: integer("slots").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.holder] }),
    check("concurrency_leases_slots_nonnegative", sql`${t.slots} >= 0`),
  ],
);
