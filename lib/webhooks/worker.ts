import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhooks, type WebhookDeliveryRow } from "@/db/schema";
import { loggableError } from "@/lib/errors/loggable-error";
import { attemptDelivery, claimDueDeliveries, type DeliveryDeps } from "./deliveries";
import { sendWebhook } from "./send";

/** Deliveries one process sends at once. */
export const DELIVERY_SLOTS = 10;

/**
 * A process's delivery slots, refilled as each delivery ends rather than batch by batch: a
 * batch waited for its slowest receiver (10 s for one that never answers), so one owner's
 * hanging receiver held every other owner's alerts back. Claims are fair per owner
 * (claimDueDeliveries), so a free slot goes to the owner whose turn it is.
 */
class DeliveryPump {
  attempted = 0;
  stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private claiming: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly deps: DeliveryDeps,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Claims due deliveries into the free slots (again, if asked while a claim runs). */
  fill(): Promise<void> {
    if (this.claiming) {
      this.again = true;
      return this.claiming;
    }
    this.claiming = this.claimLoop().finally(() => {
      this.claiming = null;
    });
    return this.claiming;
  }

  /** Fills, then waits until nothing is due or in flight. Returns how many were attempted. */
  async drain(): Promise<number> {
    await this.fill();
    while (this.inFlight.size > 0 || this.claiming) {
      await Promise.race([...this.inFlight, ...(this.claiming ? [this.claiming] : [])]);
    }
    return this.attempted;
  }

  /** Waits for the deliveries in flight (no new ones are claimed once stopped). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0 || this.claiming)
      await Promise.allSettled([...this.inFlight, ...(this.claiming ? [this.claiming] : [])]);
  }

  private async claimLoop(): Promise<void> {
    do {
      this.again = false;
      const free = DELIVERY_SLOTS - this.inFlight.size;
      if (this.stopped || free <= 0) return;
      const claimed = await claimDueDeliveries(this.db, this.deps.now(), free);
      for (const delivery of claimed) this.start(delivery);
      // A full claim may have left more due behind it.
      if (claimed.length === free) this.again = true;
    } while (this.again);
  }

  private start(delivery: WebhookDeliveryRow): void {
    const running: Promise<void> = this.deliver(delivery)
      .catch(this.onError)
      .finally(() => {
        this.inFlight.delete(running);
        this.attempted++;
        // The slot is free: the next owner's turn, now rather than at the next tick.
        this.fill().catch(this.onError);
      });
    this.inFlight.add(running);
  }

  private async deliver(delivery: WebhookDeliveryRow): Promise<void> {
    const [webhook] = await this.db
      .select()
      .from(webhooks)
      .where(eq(webhooks.id, delivery.webhookId))
      .limit(1);
    // A disabled webhook's queued deliveries were dropped with it; one claimed meanwhile is skipped.
    if (webhook && !webhook.disabledAt)
      await attemptDelivery(this.db, delivery, webhook, this.deps);
  }
}

const logWorkerError = (error: unknown) =>
  console.error(JSON.stringify({ msg: "webhook_worker_error", error: loggableError(error) }));

/**
 * Runs every due delivery once: claim, send, record. Returns how many were attempted.
 * Each process's worker runs on a timer; retries therefore live in the database, not in
 * a process's memory, and a restart only delays them until the next tick.
 */
export async function runDueDeliveries(db: Db, deps: DeliveryDeps): Promise<number> {
  let failure: unknown = null;
  const pump = new DeliveryPump(db, deps, (error) => (failure ??= error));
  const attempted = await pump.drain();
  if (failure) throw failure;
  return attempted;
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
  const pump = new DeliveryPump(db, deps, logWorkerError);
  const tick = () => {
    pump.fill().catch(logWorkerError);
  };
  const timer = setInterval(tick, options.intervalMs ?? 5_000);
  timer.unref();
  tick();
  return {
    nudge: tick,
    async stop() {
      pump.stopped = true;
      clearInterval(timer);
      await pump.settle();
    },
  };
}
