import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { usageRecords, type BudgetPeriod } from "@/db/schema";
import { periodStartAt } from "./budget-period";

/**
 * The per-key controls beyond name, limit and expiry, as the services take them
 * (camelCase; the API's snake_case is mapped in the routes and actions).
 */
export interface RateLimitsInput {
  /** Each: undefined leaves it as it is, null removes it. */
  requestsPerMinute?: number | null;
  tokensPerMinute?: number | null;
  maxConcurrent?: number | null;
}

export interface KeyControlsInput {
  /** null: every model. */
  allowedModels?: string[] | null;
  /** null: remove every rate limit. */
  rateLimits?: RateLimitsInput | null;
  budgetPeriod?: BudgetPeriod;
  /** null: any address. Already normalized CIDR ranges (lib/keys/ip-allowlist.ts). */
  ipAllowlist?: string[] | null;
  alertThresholds?: number[];
}

/** From the API's body (already validated by lib/keys/schemas.ts). */
export function controlsFromBody(body: {
  allowed_models?: string[] | null;
  rate_limits?: {
    requests_per_minute?: number | null;
    tokens_per_minute?: number | null;
    max_concurrent?: number | null;
  } | null;
  budget_period?: BudgetPeriod;
  ip_allowlist?: string[] | null;
  alert_thresholds?: number[];
}): KeyControlsInput {
  const limits = body.rate_limits;
  return {
    allowedModels: body.allowed_models,
    rateLimits:
      limits === undefined
        ? undefined
        : limits === null
          ? null
          : {
              requestsPerMinute: limits.requests_per_minute,
              tokensPerMinute: limits.tokens_per_minute,
              maxConcurrent: limits.max_concurrent,
            },
    budgetPeriod: body.budget_period,
    ipAllowlist: body.ip_allowlist,
    alertThresholds: body.alert_thresholds,
  };
}

/** The columns for a rate-limit change: a null object clears all three. */
export function rateLimitColumns(input: RateLimitsInput | null | undefined) {
  if (input === undefined) return {};
  if (input === null)
    return { requestsPerMinute: null, tokensPerMinute: null, maxConcurrent: null };
  return {
    requestsPerMinute: input.requestsPerMinute,
    tokensPerMinute: input.tokensPerMinute,
    maxConcurrent: input.maxConcurrent,
  };
}

/**
 * The period columns when a key's budget period is set or changed: the current period
 * starts now-ish (its UTC boundary), and its spend is what the key's records show since
 * that boundary, so that switching to `daily` at 15:00 counts today's spend, not the
 * lifetime's. `none` counts the lifetime spend.
 */
export async function periodColumns(
  db: Db,
  keyId: string | null,
  period: BudgetPeriod,
  lifetimeSpend: bigint,
  now: Date,
) {
  const start = periodStartAt(period, now);
  if (!start) return { budgetPeriod: period, periodStart: null, periodSpend: lifetimeSpend };
  if (!keyId) return { budgetPeriod: period, periodStart: start, periodSpend: 0n };
  const [row] = await db
    .select({ spent: sql<string>`coalesce(sum(${usageRecords.cost}), 0)::text` })
    .from(usageRecords)
    .where(and(eq(usageRecords.keyId, keyId), gte(usageRecords.createdAt, start)));
  const spent = BigInt(row?.spent ?? "0");
  return {
    budgetPeriod: period,
    periodStart: start,
    periodSpend: spent < lifetimeSpend ? spent : lifetimeSpend,
  };
}
