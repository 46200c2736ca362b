import type { Db } from "@/db/client";
import type { WebhookDeliveryRow } from "@/db/schema";
import type { Actor } from "@/lib/api/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { attemptDelivery, enqueueDeliveries, type DeliveryDeps } from "./deliveries";
import { sendWebhook } from "./send";
import { loadManagedWebhook } from "./webhooks";

/**
 * Sends a `webhook.test` event now and answers with the outcome, so the person setting up a
 * receiver sees at once whether it answered (and what). A failure is retried like any other.
 */
export async function sendTestDelivery(
  db: Db,
  actor: Actor,
  webhookId: string,
  deps: DeliveryDeps = { send: sendWebhook, now: () => new Date() },
): Promise<WebhookDeliveryRow> {
  const webhook = await loadManagedWebhook(db, actor, webhookId);
  const [queued] = await enqueueDeliveries(
    db,
    [webhook],
    "webhook.test",
    { message: "A test event from ModelBridge.", webhook_id: webhook.id },
    deps.now(),
    { claimed: true },
  );
  await recordAudit(db, actor, {
    action: "webhook.test",
    targetType: "webhook",
    targetId: webhook.id,
    teamId: webhook.teamId,
  });
  return attemptDelivery(db, queued, webhook, deps);
}
