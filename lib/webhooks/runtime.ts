import type { Db } from "@/db/client";
import { processSingleton } from "@/lib/singleton";
import { startWebhookWorker, type WebhookWorker } from "./worker";

/**
 * The process's one delivery worker. server.ts starts it at boot; anything that queues an
 * event (an alert, a test) nudges it so that the first attempt is not left to the next tick.
 * Under `next dev` (no server.ts) the first nudge starts it.
 */
export function ensureWebhookWorker(db: Db): WebhookWorker {
  return processSingleton("webhooks.worker", () => startWebhookWorker(db));
}

export function nudgeWebhookWorker(db: Db): void {
  ensureWebhookWorker(db).nudge();
}
