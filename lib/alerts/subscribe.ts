import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { onKeySpendSettled } from "@/lib/billing/spend-events";
import { processSingleton } from "@/lib/singleton";
import { createSpendAlertHook } from "./spend-hook";

/**
 * Connects the gateway's settled-spend events to alert evaluation, once per process. The
 * event carries the spend and limit; the key's name, owner and thresholds are read from the
 * database, which is fine here: events come about once per budget lease per busy key, off
 * the request path.
 */
export function subscribeKeyAlerts(db: Db): () => void {
  return processSingleton("alerts.subscription", () => {
    const hook = createSpendAlertHook(db);
    return onKeySpendSettled((event) => {
      if (event.spendingLimit === null || event.spendingLimit <= 0n) return;
      void (async () => {
        const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, event.keyId)).limit(1);
        if (!key || key.revokedAt) return;
        await hook({
          ...key,
          spendingLimit: event.spendingLimit,
          periodSpend: event.periodSpend,
          periodStart: event.periodStart,
        });
      })().catch(() => {
        // The hook logs its own failures; a failed key read only delays the alert to the next settle.
      });
    });
  });
}
