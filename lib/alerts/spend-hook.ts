import type { Db } from "@/db/client";
import { loggableError } from "@/lib/errors/loggable-error";
import { nudgeWebhookWorker } from "@/lib/webhooks/runtime";
import { evaluateKeyAlerts } from "./evaluate";
import { alertPeriod, reachedThresholds, type KeySpendSnapshot } from "./thresholds";

export interface SpendAlertHookOptions {
  now?: () => Date;
  /** Called once the deliveries of newly fired alerts are queued (the worker is nudged by default). */
  onFired?: (count: number) => void;
}

/**
 * What the gateway calls after a request settles and the key's period spend changed. Most
 * calls cost nothing: no threshold reached, or every reached one already known to have fired
 * (remembered per process), so the hot path gains no database round trip. Only a crossing
 * this process has not seen goes to the database, where the unique row decides whether it
 * fires. Never throws and never delays the request: the work runs in the background.
 */
export function createSpendAlertHook(
  db: Db,
  options: SpendAlertHookOptions = {},
): (key: KeySpendSnapshot) => Promise<void> {
  const now = options.now ?? (() => new Date());
  const onFired = options.onFired ?? (() => nudgeWebhookWorker(db));
  const known = new Set<string>();
  return async (key) => {
    const at = now();
    const reached = reachedThresholds(key.alertThresholds, key.periodSpend, key.spendingLimit);
    if (reached.length === 0) return;
    const period = alertPeriod(key, at).start.getTime();
    const ids = reached.map((t) => `${key.id}|${period}|${t}`);
    if (ids.every((id) => known.has(id))) return;
    try {
      const fired = await evaluateKeyAlerts(db, key, at);
      if (known.size > 50_000) known.clear();
      for (const id of ids) known.add(id);
      if (fired.length > 0) onFired(fired.length);
    } catch (error) {
      console.error(
        JSON.stringify({ msg: "key_alert_error", key_id: key.id, error: loggableError(error) }),
      );
    }
  };
}
