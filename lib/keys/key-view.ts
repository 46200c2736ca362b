import type { ApiKeyRow } from "@/db/schema";
import { formatMoney } from "@/lib/core/money";
import { periodEndAt } from "./budget-period";
import { maskKey } from "./format";
import type { DailyUsage } from "./key-usage";
import type { KeyObject } from "./schemas";
import { keyStatus, spendAgainstLimit } from "./status";

/** The key as the API shows it: an allow-list of fields (never the hash), money as decimal strings. */
/** `smallestRequestCost`: see lib/keys/smallest-request.ts (it decides limit_reached). */
export function toKeyObject(
  key: ApiKeyRow,
  smallestRequestCost: bigint,
  now = new Date(),
): KeyObject {
  return {
    id: key.id,
    name: key.name,
    type: key.type,
    display: maskKey(key.prefix, key.last4),
    status: keyStatus(key, now, smallestRequestCost),
    spend: formatMoney(key.spend),
    spending_limit: key.spendingLimit === null ? null : formatMoney(key.spendingLimit),
    expires_at: key.expiresAt?.toISOString() ?? null,
    team_id: key.teamId,
    created_by: key.createdBy,
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    allowed_models: key.allowedModels,
    rate_limits: {
      requests_per_minute: key.requestsPerMinute,
      tokens_per_minute: key.tokensPerMinute,
      max_concurrent: key.maxConcurrent,
    },
    budget_period: key.budgetPeriod,
    period_spend: formatMoney(spendAgainstLimit(key, now)),
    period_resets_at: periodEndAt(key.budgetPeriod, now)?.toISOString() ?? null,
    ip_allowlist: key.ipAllowlist,
    alert_thresholds: key.alertThresholds,
    payload_capture: key.payloadCapture
      ? { enabled: key.payloadCapture.enabled, sample_rate: key.payloadCapture.sampleRate }
      : null,
    paused: key.pausedAt !== null,
    paused_at: key.pausedAt?.toISOString() ?? null,
    rolled_at: key.rolledAt?.toISOString() ?? null,
    previous_key_expires_at:
      key.previousKeyHash && key.previousKeyExpiresAt && key.previousKeyExpiresAt > now
        ? key.previousKeyExpiresAt.toISOString()
        : null,
  };
}

export function toUsageDay(day: DailyUsage) {
  return {
    date: day.date,
    requests: day.requests,
    prompt_tokens: day.promptTokens,
    completion_tokens: day.completionTokens,
    total_tokens: day.promptTokens + day.completionTokens,
    spend: formatMoney(day.spend),
  };
}
