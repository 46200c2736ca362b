import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";

/**
 * Attempt counters shared by every process on this database (lib/limits/shared-counters.ts):
 * sign-in, sign-up and failed-key limits. A row is one counter's fixed window; an expired
 * row is restarted by the next attempt and swept now and then. `key` names the limiter and
 * the subject (an address bucket, an email): never a secret.
 */
export const limiterCounters = pgTable(
  "limiter_counters",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("limiter_counters_expires_idx").on(t.expiresAt)],
);

/**
 * Output items a key was answered with on /v1/responses, so that a later turn's
 * `item_reference` resolves on whichever process serves it (the Vercel AI SDK refers to
 * its earlier answers by id). Kept an hour (`expires_at`), then swept; gone with the key.
 */
export const conversationItems = pgTable(
  "conversation_items",
  {
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    item: jsonb("item").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.itemId] }),
    index("conversation_items_expires_idx").on(t.expiresAt),
  ],
);
