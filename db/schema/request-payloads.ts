import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * What a `/v1` request sent and got back, kept only when payload capture covers its key
 * (PRODUCT.md, "Seeing every request"): bodies capped and marked when cut, headers without
 * any credential. Keyed by the request id the usage row carries; no foreign key, since the
 * usage row is written by its own batch and either may land first. Purged after the
 * retention by lib/requests/payload-purge.ts.
 */
export const requestPayloads = pgTable(
  "request_payloads",
  {
    requestId: text("request_id").primaryKey(),
    keyId: uuid("key_id"),
    requestHeaders: jsonb("request_headers").$type<Record<string, string>>().notNull(),
    requestBody: text("request_body"),
    requestTruncated: boolean("request_truncated").notNull().default(false),
    responseBody: text("response_body"),
    responseTruncated: boolean("response_truncated").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("request_payloads_time_idx").on(t.createdAt)],
);

export type RequestPayloadRow = typeof requestPayloads.$inferSelect;
