import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhooks } from "@/db/schema";
import { loggableError } from "@/lib/errors/loggable-error";
import { attemptDelivery, claimDueDeliveries, type DeliveryDeps } from "./deliveries";
import { sendWebhook } from "./send";

/**
 * Runs every due delivery once: claim, send, record. Returns how many were attempted.
 * Each process's worker calls it on a timer; retries therefore live in the database, not in
 * a process's memory, and a restart only delays them until the next tick.
 */
export async function runDueDeliveries(db: Db, deps: DeliveryDeps): Promise<number> {
  let attempted = 0;
  for (;;) {
    const claimed = await claimDueDeliveries(db, deps.now());
    if (claimed.length === 0) return attempted;
    await Promise.all(
      claimed.map(async (delivery) => {
        const [webhook] = await db
          .select()
          .from(webhooks)
          .where(eq(webhooks.id, delivery.webhookId))
          .limit(1);
        if (webhook) await attemptDelivery(db, delivery, webhook, deps);
      }),
    );
    attempted += claimed.length;
  }
}

export interface WebhookWorker {
  /** Run now rather than at the next tick (after an event was queued). */
  nudge(): void;
  stop(): Promise<void>;
}

/** Polls for due deliveries every `intervalMs` (and at once when nudged). */
export function startWebhookWorker(
  db: Db,
  options: { intervalMs?: number; deps?: Partial<DeliveryDeps> } = {},
): WebhookWorker {
  const deps: DeliveryDeps = {
    send: options.deps?.send ?? sendWebhook,
    now: options.deps?.now ?? (() => new Date()),
  };
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runDueDeliveries(db, deps)
      .then(() => undefined)
      .catch((error) =>
        console.error(JSON.stringify({ msg: "webhook_worker_error", error: loggableError(error) })),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          tick();
        }
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? 5_000);
  timer.unref();
  tick();
  return {
    nudge: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
