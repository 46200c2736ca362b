import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { keyAlerts, type KeyAlertRow } from "@/db/schema";
import { formatMoney } from "@/lib/core/money";
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
 * Returns the alert this call announced (the highest threshold it recorded), if any.
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
  // One request can cross several thresholds (50, 80 and 100% at once): the owner hears of
  // the highest only, once. The lower rows stay (they must not fire later) but are not
  // notices, and earlier notices of this key's period give way to the new one.
  const highest = fired.reduce((a, b) => (b.threshold > a.threshold ? b : a));
  await db
    .update(keyAlerts)
    .set({ dismissedAt: now })
    .where(
      and(
        eq(keyAlerts.keyId, key.id),
        eq(keyAlerts.periodStart, period.start),
        lt(keyAlerts.threshold, highest.threshold),
        isNull(keyAlerts.dismissedAt),
      ),
    );
  const targets = await webhooksOfOwner(db, { userId: key.createdBy, teamId: key.teamId });
  await enqueueDeliveries(
    db,
    targets,
    ALERT_EVENT,
    alertPayload(key, highest, period.resetsAt),
    now,
  );
  return [highest];
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
