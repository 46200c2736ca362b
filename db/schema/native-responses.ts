import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Who created each response (and its output items) a native Responses upstream stored.
 * The upstream keeps the conversation under one credential for every tenant, so
 * `previous_response_id` and `item_reference` are honoured only for the owner that made
 * them (the key's team for a team key, else its user). `owner` is that id; no foreign key:
 * the rows are a filter, and a deleted owner's ids simply match nobody.
 */
export const nativeResponseOwners = pgTable(
  "native_response_owners",
  {
    /** `resp_…` or an output item's id (`msg_…`, `rs_…`, `fc_…`). */
    upstreamId: text("upstream_id").primaryKey(),
    modelId: uuid("model_id").notNull(),
    owner: uuid("owner").notNull(),
    keyId: uuid("key_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("native_response_owners_time_idx").on(t.createdAt)],
);
