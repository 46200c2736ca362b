import { formatMoney } from "@/lib/core/money";
import type { BalanceBreakdown } from "@/lib/billing/balance-breakdown";
import type { UsageTotals } from "./aggregate";
import type { UsageObject } from "./schemas";
import type { UsageReport } from "./usage-report";

/** The API's JSON of a report: snake_case, money as decimal strings (an allow-list of fields). */
export function toTotalsObject(t: UsageTotals) {
  return {
    requests: t.requests,
    errors: t.errors,
    prompt_tokens: t.promptTokens,
    completion_tokens: t.completionTokens,
    total_tokens: t.promptTokens + t.completionTokens,
    spend: formatMoney(t.spend),
  };
}

export function toBalanceObject(b: BalanceBreakdown) {
  return {
    period: b.period,
    included_monthly: formatMoney(b.includedMonthly),
    included_used: formatMoney(b.includedUsed),
    included_left: formatMoney(b.includedLeft),
    prepaid_left: formatMoney(b.prepaidLeft),
    overage_this_month: formatMoney(b.overageThisMonth),
    overage_enabled: b.overageEnabled,
    blocked: b.blocked,
  };
}

export function toUsageObject(report: UsageReport): UsageObject {
  return {
    owner: report.scope.owner,
    key_id: report.scope.key?.id ?? null,
    from: report.range.from.toISOString(),
    to: report.range.to.toISOString(),
    totals: toTotalsObject(report.totals),
    data: report.days.map((day) => ({ date: day.date, ...toTotalsObject(day) })),
    by_key: report.byKey.map((k) => ({
      key_id: k.keyId,
      name: k.name,
      display: k.display,
      revoked: k.revoked,
      ...toTotalsObject(k),
    })),
    by_model: report.byModel.map((m) => ({ model: m.model, ...toTotalsObject(m) })),
    balance: report.balance ? toBalanceObject(report.balance) : null,
  };
}
