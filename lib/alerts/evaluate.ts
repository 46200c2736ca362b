import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { keyAlerts, type KeyAlertRow } from "@/db/schema";
import { formatMoney } from "@/lib/billing/money";
import { maskKey } from "@/lib/keys/format";
import { enqueueDeliveries } from "@/lib/webhooks/deliveries";
import { webhooksOfOwner } from "@/lib/webhooks/webhooks";
import { alertPeriod, reachedThresholds, type KeySpendSnapshot } from "./thresholds";

export const ALERT_EVENT = "key.spend_threshold";

/**
 * After a key's spend changes: records each threshold reached for the first time in this
 * period and queues its webhook deliveries. The unique (key, period, threshold) row decides
 * who fires: of two processes (or one process after a restart) evaluating the same
 * crossing, one insert succeeds and the other inserts nothing, so the owner hears once.
 * Returns the alerts this call fired.
 */
export async function evaluateKeyAlerts(
  db: Db,
  key: KeySpendSnapshot,
  now: Date,
): Promise<KeyAlertRow[]> {
  const reached = reachedThresholds(key.alertThresholds, key.periodSpend, key.spendingLimit);
  if (reached.length === 0) return [];
  const period = alertPeriod(key, now);
  const fired = await db
    .insert(keyAlerts)
    .values(
      reached.map((threshold) => ({
        keyId: key.id,
        periodStart: period.start,
        threshold,
        spend: key.periodSpend,
        spendingLimit: key.spendingLimit!,
        firedAt: now,
      })),
    )
    .onConflictDoNothing({ target: [keyAlerts.keyId, keyAlerts.periodStart, keyAlerts.threshold] })
    .returning();
  if (fired.length === 0) return [];
  const targets = await webhooksOfOwner(db, { userId: key.createdBy, teamId: key.teamId });
  for (const alert of fired) {
    await enqueueDeliveries(
      db,
      targets,
      ALERT_EVENT,
      alertPayload(key, alert, period.resetsAt),
      now,
    );
  }
  return fired;
}

/** What a receiver learns: the key by id, name and masked display (never the key itself). */
export function alertPayload(
  key: KeySpendSnapshot,
  alert: KeyAlertRow,
  resetsAt: Date | null,
): Record<string, unknown> {
  return {
    key: { id: key.id, name: key.name, display: maskKey(key.prefix, key.last4) },
    team_id: key.teamId,
    threshold: alert.threshold,
    spend: formatMoney(alert.spend),
    spending_limit: formatMoney(alert.spendingLimit),
    budget_period: key.budgetPeriod,
    period_start: alert.periodStart.toISOString(),
    period_resets_at: resetsAt?.toISOString() ?? null,
  };
}

/** The thresholds already fired for a key in the period starting at `periodStart`. */
export async function firedThresholds(db: Db, keyId: string, periodStart: Date): Promise<number[]> {
  const rows = await db
    .select({ threshold: keyAlerts.threshold })
    .from(keyAlerts)
    .where(and(eq(keyAlerts.keyId, keyId), eq(keyAlerts.periodStart, periodStart)));
  return rows.map((r) => r.threshold);
}
