import { and, eq, gt, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { apiKeys } from "@/db/schema";

/**
 * The name the Playground's key carries (lib/playground/playground-key.ts uses it too; kept
 * here so that the key rules do not import the Playground).
 */
export const PLAYGROUND_KEY_NAME = "Playground";

/** "Active" as the status rule defines it: not revoked, not expired, under its limit this period. */
export function activeKeyAt(now: Date): SQL | undefined {
  return and(
    isNull(apiKeys.revokedAt),
    or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
    or(isNull(apiKeys.spendingLimit), lt(apiKeys.periodSpend, apiKeys.spendingLimit)),
  );
}

/**
 * The Playground's own key (a personal Model Serving key by that name): the dashboard's
 * tool, not one of the user's keys, so no count of "your keys" includes it.
 */
export const isPlaygroundKey: SQL = sql`(${apiKeys.name} = ${PLAYGROUND_KEY_NAME} and ${apiKeys.type} = 'model_serving' and ${apiKeys.teamId} is null)`;
